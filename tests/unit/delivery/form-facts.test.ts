/** The form's pure facts: the node selector text, the cluster fields as YAML, the method switch (blocks, targets, distro change). */
import {
  AuditSettings, defaultSettings, formatSelector, KubeObject, methodBlocks, methodTargets, parseSelector, PATHS, settingsForDistro, SPEC_YAML_FIELDS, specYaml
} from '@pkg/delivery';
import { k3sCluster, rke2Cluster } from '../../support/clusters';

describe('node selector text', () => {
  it.each([
    ['rke.cattle.io/control-plane-role=true', { 'rke.cattle.io/control-plane-role': 'true' }],
    [' a = 1 ,b=2,, ', { a: '1', b: '2' }],
    ['a=b=c', { a: 'b=c' }],
    ['lonely', { lonely: '' }],
    ['foo bar=x', { 'foo bar': 'x' }],
    ['=x', { '': 'x' }],
    ['__proto__=x', { ['__proto__']: 'x' }],
    ['', {}],
  ])('parseSelector(%j) = %j', (text, labels) => {
    const got = parseSelector(text);

    expect(Object.entries(got)).toEqual(Object.entries(labels));
    expect(Object.getPrototypeOf(got)).toBe(Object.prototype);
  });

  it.each([
    [{}, ''],
    [{ a: '1', b: '' }, 'a=1, b='],
  ])('formatSelector(%j) = %j, and parses back', (labels, text) => {
    expect(formatSelector(labels)).toBe(text);
    expect(parseSelector(text)).toEqual(labels);
  });
});

describe('specYaml', () => {
  const c = rke2Cluster('c');

  (c.spec as { rkeConfig: { machineGlobalConfig: Record<string, unknown> } }).rkeConfig.machineGlobalConfig['kube-apiserver-arg'] = ['audit-log-maxage=30', `audit-log-path=/${ 'x'.repeat(120) }`];

  it.each([
    ['rkeConfig fields, absent ones left out', SPEC_YAML_FIELDS.rkeConfig, false, `spec.rkeConfig.machineGlobalConfig.kube-apiserver-arg:\n  - audit-log-maxage=30\n  - audit-log-path=/${ 'x'.repeat(120) }\n`],
    ['absent shown as null', [PATHS.rke1AuditLog], true, 'spec.rancherKubernetesEngineConfig.services.kubeApi.auditLog: null\n'],
    ['nothing at all', [PATHS.inlinePolicy], false, '{}\n'],
  ])('%s', (_what, fields, showAbsent, want) => {
    expect(specYaml(c, fields, showAbsent)).toBe(want);
  });
});

describe('the method switch', () => {
  it.each([
    [true, { secret: true, configmap: true }, {}],
    [false, { secret: true, configmap: true }, { secret: { code: 'noHook' }, configmap: { code: 'noHook' } }],
    [true, { secret: false, configmap: true }, { secret: { code: 'notAllowed', kind: 'secret', namespace: 'fleet-default' } }],
  ])('hook %p, may write %j -> blocked %j', (hasHook, canWrite, blocked) => {
    expect(methodBlocks('fleet-default', hasHook, canWrite)).toEqual(blocked);
  });

  it('targets: the inline path follows the data dir; the selector is text, or null for every node', () => {
    const c: KubeObject = rke2Cluster('c');

    (c.spec as { rkeConfig: Record<string, unknown> }).rkeConfig.dataDirectories = { k8sDistro: '/data/rke2' };
    const settings = defaultSettings(c, 'rke2');

    expect(methodTargets(c, settings)).toEqual({
      inline:    { path: '/data/rke2/etc/config-files/audit-policy-file' },
      secret:    { name: 'c-audit-policy', namespace: 'fleet-default', path: '/etc/rancher/rke2/audit-policy.yaml', selector: 'rke.cattle.io/control-plane-role=true' },
      configmap: { name: 'c-audit-policy', namespace: 'fleet-default', path: '/etc/rancher/rke2/audit-policy.yaml', selector: 'rke.cattle.io/control-plane-role=true' },
    });
    expect(methodTargets(c, { ...settings, file: { ...settings.file, nodeSelector: {} } }).secret.selector).toBeNull();
  });

  type DistroRow = [from: 'rke2' | 'k3s', to: 'rke2' | 'k3s', method: AuditSettings['method'], path: string, blocked: Record<string, unknown>, wantMethod: string, wantPath: string];
  const rows: DistroRow[] = [
    ['rke2', 'k3s', 'inline', '/etc/rancher/rke2/audit-policy.yaml', {}, 'secret', '/var/lib/rancher/k3s/server/audit.yaml'],
    ['rke2', 'k3s', 'inline', '/etc/rancher/rke2/audit-policy.yaml', { secret: {} }, 'configmap', '/var/lib/rancher/k3s/server/audit.yaml'],
    ['rke2', 'k3s', 'secret', '/custom/policy.yaml', {}, 'secret', '/custom/policy.yaml'],
    ['k3s', 'rke2', 'configmap', '/var/lib/rancher/k3s/server/audit.yaml', {}, 'configmap', '/etc/rancher/rke2/audit-policy.yaml'],
    ['rke2', 'rke2', 'inline', '/etc/rancher/rke2/audit-policy.yaml', {}, 'inline', '/etc/rancher/rke2/audit-policy.yaml'],
  ];

  it.each(rows)('%s -> %s with %s at %s (blocked %j): %s at %s', (from, to, method, path, blocked, wantMethod, wantPath) => {
    const base = defaultSettings(k3sCluster('c'), 'k3s');
    const settings = { ...base, method, file: { ...base.file, path } };
    const got = settingsForDistro(settings, from, to, blocked);

    expect([got.method, got.file.path]).toEqual([wantMethod, wantPath]);
    if (wantMethod === method && wantPath === path) {
      expect(got).toBe(settings);
    }
  });
});
