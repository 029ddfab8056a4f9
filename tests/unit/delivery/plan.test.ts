/**
 * plan() for every distro x method x (create, edit, switch method, disable), read back with readSettings,
 * plus the merges that must never clobber: other args, other machineSelectorFiles entries, other clusters.
 */
import { readdirSync, readFileSync } from 'fs';
import { join } from 'path';
import {
  AuditSettings, AUTHORIZED_ANNOTATION, clone, rebase, Distro, fromBase64, getPath, KubeObject, Method, MANAGED_BY_LABEL, objectsToFetch, plan, PATHS, readSettings
} from '@pkg/delivery';
import { policyToYaml, presetPolicy, Policy } from '@pkg/policy';
import {
  applyPlan, k3sCluster, PSA_ENTRY, rke1Cluster, rke2Cluster, secret
} from '../../support/clusters';

const GKE = policyToYaml(presetPolicy('gke') as Policy);
const CIS = policyToYaml(presetPolicy('cis-minimal') as Policy);
const POLICIES = join(__dirname, '../../fixtures/policies');

const apply = applyPlan;

function settingsFor(cluster: KubeObject, objects: KubeObject[], change: Partial<AuditSettings>): AuditSettings {
  const read = readSettings(cluster, objects).settings;

  return { ...read, ...change };
}

function args(cluster: KubeObject): string[] {
  return (getPath(cluster, PATHS.apiserverArgs) as string[]) || [];
}

const fresh: Record<Exclude<Distro, 'rke1'>, () => KubeObject> = { rke2: () => rke2Cluster('c1'), k3s: () => k3sCluster('c1') };

type MatrixRow = [distro: 'rke2' | 'k3s', method: Method, inlineKey: boolean, policyArg: string | null, object: 'Secret' | 'ConfigMap' | null];

const matrix: MatrixRow[] = [
  ['rke2', 'inline', true, null, null],
  ['rke2', 'secret', false, '/etc/rancher/rke2/audit-policy.yaml', 'Secret'],
  ['rke2', 'configmap', false, '/etc/rancher/rke2/audit-policy.yaml', 'ConfigMap'],
  ['k3s', 'secret', false, '/var/lib/rancher/k3s/server/audit.yaml', 'Secret'],
  ['k3s', 'configmap', false, '/var/lib/rancher/k3s/server/audit.yaml', 'ConfigMap'],
];

describe.each(matrix)('%s / %s', (distro, method, inlineKey, policyArg, objectKind) => {
  const enable = (cluster: KubeObject, objects: KubeObject[] = []) => plan(cluster, objects, settingsFor(cluster, objects, { enabled: true, method, policyYaml: CIS }));

  it('create: writes exactly what the method needs', () => {
    const p = enable(fresh[distro]());

    expect(p.errors).toEqual([]);
    expect(getPath(p.cluster, PATHS.inlinePolicy) !== undefined).toBe(inlineKey);
    expect(args(p.cluster).find((a) => a.startsWith('audit-policy-file=')) ?? null).toBe(policyArg ? `audit-policy-file=${ policyArg }` : null);
    expect(p.objects.map((o) => `${ o.action } ${ o.after?.kind } ${ o.name } ${ o.phase }`)).toEqual(objectKind ? [`create ${ objectKind } c1-audit-policy before`] : []);
    if (objectKind) {
      const obj = p.objects[0].after as KubeObject;
      const text = objectKind === 'Secret' ? fromBase64(obj.data?.['audit-policy.yaml'] as string) : obj.data?.['audit-policy.yaml'];

      expect(text).toBe(CIS);
      expect(obj.metadata.annotations?.[AUTHORIZED_ANNOTATION]).toBe('c1');
      expect(obj.metadata.labels?.[MANAGED_BY_LABEL]).toBe('cluster-audit-log');
      expect(getPath(p.cluster, PATHS.machineSelectorFiles)).toEqual([expect.objectContaining({ machineLabelSelector: { matchLabels: { 'rke.cattle.io/control-plane-role': 'true' } } })]);
    }
    // RKE2 adds its own log defaults only for its audit-policy-file option (inline); otherwise they are written.
    expect(args(p.cluster).filter((a) => a.startsWith('audit-log-'))).toEqual(method === 'inline' ? [] : [
      `audit-log-path=/var/lib/rancher/${ distro }/server/logs/audit.log`, 'audit-log-maxage=30', 'audit-log-maxbackup=10', 'audit-log-maxsize=100',
    ]);
  });

  it('edit: read back, plan again is a no-op; a change of policy updates only what holds it', () => {
    const first = apply(enable(fresh[distro]()), []);
    const read = readSettings(first.cluster, first.objects);

    expect(read.problems).toEqual([]);
    expect(read.settings).toMatchObject({ enabled: true, method, policyYaml: CIS });
    expect(plan(first.cluster, first.objects, read.settings).noop).toBe(true);

    const edited = plan(first.cluster, first.objects, { ...read.settings, policyYaml: GKE });

    expect(edited.objects.map((o) => o.action)).toEqual(objectKind ? ['update'] : []);
    expect(edited.clusterPaths).toEqual(inlineKey ? ['spec.rkeConfig.machineGlobalConfig.audit-policy-file'] : ['spec.rkeConfig.machineSelectorFiles']);
  });

  it.each(['inline', 'secret', 'configmap'].filter((m) => m !== method && !(distro === 'k3s' && m === 'inline')) as Method[])('switch to %s: what the old method wrote is gone', (to) => {
    const first = apply(enable(fresh[distro]()), []);
    const read = readSettings(first.cluster, first.objects).settings;
    const p = plan(first.cluster, first.objects, { ...read, method: to });
    const after = apply(p, first.objects);
    const back = readSettings(after.cluster, after.objects);

    expect(p.errors).toEqual([]);
    expect(back.settings.method).toBe(to);
    expect(back.settings.policyYaml).toBe(CIS);
    expect(back.problems).toEqual([]);
    if (method === 'inline') {
      expect(getPath(after.cluster, PATHS.inlinePolicy)).toBeUndefined();
    } else {
      expect(JSON.stringify(getPath(after.cluster, PATHS.machineSelectorFiles) || [])).not.toContain(`"${ method === 'secret' ? 'secret' : 'configMap' }"`);
      expect(p.objects.filter((o) => o.phase === 'after').map((o) => o.action)).toEqual(['delete']);
    }
    expect(args(after.cluster).filter((a) => a.startsWith('audit-policy-file='))).toHaveLength(to === 'inline' ? 0 : 1);
  });

  it('disable: removes all of it, deletes the object only this extension made and only this cluster used', () => {
    const first = apply(enable(fresh[distro]()), []);
    const read = readSettings(first.cluster, first.objects).settings;
    const p = plan(first.cluster, first.objects, { ...read, enabled: false });
    const after = apply(p, first.objects);

    expect(getPath(after.cluster, PATHS.inlinePolicy)).toBeUndefined();
    expect(args(after.cluster).filter((a) => a.startsWith('audit-'))).toEqual([]);
    expect(getPath(after.cluster, PATHS.machineSelectorFiles)).toBeUndefined();
    expect(after.objects).toEqual([]);
    expect(readSettings(after.cluster, after.objects).settings.enabled).toBe(false);
    expect(plan(after.cluster, after.objects, readSettings(after.cluster, after.objects).settings).noop).toBe(true);
  });
});

describe('K3s has no inline method', () => {
  it('is refused with the reason, not hidden', () => {
    const cluster = k3sCluster('c1');
    const p = plan(cluster, [], settingsFor(cluster, [], { enabled: true, method: 'inline' }));

    expect(p.errors.map((e) => e.message)).toEqual([expect.stringContaining('K3s has no audit-policy-file option')]);
    expect(p.clusterPaths).toEqual([]);
  });
});

describe('merge, don\'t clobber', () => {
  function withExtras(): KubeObject {
    const cluster = rke2Cluster('c');
    const rke = (cluster.spec as { rkeConfig: Record<string, unknown> }).rkeConfig;

    (rke.machineGlobalConfig as Record<string, unknown>)['kube-apiserver-arg'] = ['enable-admission-plugins=NodeRestriction', 'audit-log-maxage=7', 'audit-webhook-version=audit.k8s.io/v1'];
    rke.machineSelectorFiles = [clone(PSA_ENTRY)];

    return cluster;
  }

  it.each([
    ['a,b', true, 'a,b,c'],
    ['a, b', true, 'a, b,c'],
    ['a,b', false, null],
    ['c', false, 'c'],
    ['x,c,y', false, 'x,c,y'],
    ['x, c,y', false, 'x,c,y'],
  ])('an existing Secret authorized for "%s" (made here: %p) ends up authorized for %j (null: refused)', (annotation, ours, expected) => {
    const cluster = withExtras();
    const existing = [secret('shared-policy', { 'audit-policy.yaml': 'old' }, { [AUTHORIZED_ANNOTATION]: annotation }, ours ? { [MANAGED_BY_LABEL]: 'cluster-audit-log' } : {})];
    const settings = settingsFor(cluster, existing, {
      enabled: true, method: 'secret', policyYaml: CIS
    });

    settings.file.name = 'shared-policy';
    const p = plan(cluster, existing, settings);

    if (expected === null) {
      expect(p.errors.map((e) => e.message).join()).toContain('would hand this cluster every key of it ("audit-policy.yaml")');
      expect(p.objects).toEqual([]);
    } else {
      expect(p.objects[0].after?.metadata.annotations?.[AUTHORIZED_ANNOTATION]).toBe(expected);
      expect(p.objects[0].after?.metadata.labels?.[MANAGED_BY_LABEL]).toBe(ours ? 'cluster-audit-log' : undefined);
    }
  });

  it('hand-typed args stay in place, the unrelated PSA entry is left intact', () => {
    const cluster = withExtras();
    const p = plan(cluster, [], settingsFor(cluster, [], { enabled: true, method: 'secret', policyYaml: CIS }));

    expect(args(p.cluster)).toEqual([
      'enable-admission-plugins=NodeRestriction', 'audit-log-maxage=7', 'audit-policy-file=/etc/rancher/rke2/audit-policy.yaml', 'audit-log-path=/var/lib/rancher/rke2/server/logs/audit.log',
      'audit-log-maxbackup=10', 'audit-log-maxsize=100', 'audit-webhook-version=audit.k8s.io/v1',
    ]);
    expect((getPath(p.cluster, PATHS.machineSelectorFiles) as unknown[])[0]).toEqual(PSA_ENTRY);
    const off = apply(p, []);
    const disabled = plan(off.cluster, off.objects, { ...readSettings(off.cluster, off.objects).settings, enabled: false });

    expect(getPath(disabled.cluster, PATHS.machineSelectorFiles)).toEqual([PSA_ENTRY]);
    expect(args(disabled.cluster)).toEqual(['enable-admission-plugins=NodeRestriction', 'audit-webhook-version=audit.k8s.io/v1']);
  });

  it('the hand-typed maxage is read back; an audit arg this tab does not manage (audit-webhook-version) is reported, not dropped', () => {
    const read = readSettings(withExtras(), []);

    expect(read.settings.log.maxAge).toBe('7');
    expect(read.problems).toContainEqual(expect.objectContaining({ severity: 'info', message: expect.stringContaining('audit-webhook-version=audit.k8s.io/v1') }));
  });

  it('a Secret other clusters still use is de-authorized for this one, never deleted', () => {
    const cluster = withExtras();
    const existing = [secret('shared-policy', { 'audit-policy.yaml': CIS }, { [AUTHORIZED_ANNOTATION]: 'other,c' }, { [MANAGED_BY_LABEL]: 'cluster-audit-log' })];
    const settings = settingsFor(cluster, existing, { enabled: true, method: 'secret', policyYaml: CIS });

    settings.file.name = 'shared-policy';
    const on = apply(plan(cluster, existing, settings), existing);
    const off = plan(on.cluster, on.objects, { ...readSettings(on.cluster, on.objects).settings, enabled: false });

    expect(off.objects.map((o) => [o.action, o.phase, o.after?.metadata.annotations?.[AUTHORIZED_ANNOTATION]])).toEqual([['update', 'after', 'other']]);
  });

  it('a Secret this extension did not create is never deleted, only de-authorized', () => {
    const cluster = withExtras();
    const existing = [secret('theirs', { k: CIS }, { [AUTHORIZED_ANNOTATION]: 'c' })];
    const settings = settingsFor(cluster, existing, { enabled: true, method: 'secret', policyYaml: CIS });

    settings.file = { ...settings.file, name: 'theirs', key: 'k' };
    const on = apply(plan(cluster, existing, settings), existing);
    const off = plan(on.cluster, on.objects, { ...readSettings(on.cluster, on.objects).settings, enabled: false });

    expect(off.objects.map((o) => o.action)).toEqual(['update']);
    expect(off.objects[0].after?.metadata.annotations?.[AUTHORIZED_ANNOTATION]).toBeUndefined();
  });
});

describe('readSettings reports what it cannot interpret', () => {
  function rke2With(mgc: Record<string, unknown>, files?: unknown[]): KubeObject {
    const cluster = rke2Cluster('c');
    const rke = (cluster.spec as { rkeConfig: Record<string, unknown> }).rkeConfig;

    Object.assign(rke.machineGlobalConfig as object, mgc);
    if (files) {
      rke.machineSelectorFiles = files;
    }

    return cluster;
  }
  const entry = (name: string, path = '/etc/rancher/rke2/audit-policy.yaml') => ({ fileSources: [{ secret: { name, items: [{ key: 'p', path }] } }] });

  it.each([
    ['a path typed where the content belongs', rke2With({ 'audit-policy-file': '/etc/rancher/rke2/audit.yaml' }), [], 'holds a path'],
    ['the arg points at a file nothing delivers', rke2With({ 'kube-apiserver-arg': ['audit-policy-file=/etc/x.yaml'] }), [], 'no machineSelectorFiles entry delivers /etc/x.yaml'],
    ['the Secret is missing', rke2With({ 'kube-apiserver-arg': ['audit-policy-file=/etc/rancher/rke2/audit-policy.yaml'] }, [entry('gone')]), [], 'Secret fleet-default/gone was not found'],
    ['the Secret lacks the key', rke2With({ 'kube-apiserver-arg': ['audit-policy-file=/etc/rancher/rke2/audit-policy.yaml'] }, [entry('s')]), [secret('s', { other: 'x' }, { [AUTHORIZED_ANNOTATION]: 'c' })], 'has no key "p"'],
    ['the Secret is not authorized', rke2With({ 'kube-apiserver-arg': ['audit-policy-file=/etc/rancher/rke2/audit-policy.yaml'] }, [entry('s')]), [secret('s', { p: CIS }, { [AUTHORIZED_ANNOTATION]: ' c' })], 'is not authorized for this cluster'],
    ['a bad number', rke2With({ 'audit-policy-file': CIS, 'kube-apiserver-arg': 'audit-log-maxage=ten' }), [], 'not a whole number'],
    ['log args without a policy', rke2With({ 'kube-apiserver-arg': ['audit-log-path=/l/audit.log'] }), [], 'no policy file'],
  ] as [string, KubeObject, KubeObject[], string][])('%s', (_name, cluster, objects, message) => {
    expect(readSettings(cluster, objects).problems.map((p) => p.message).join('\n')).toContain(message);
  });

  it('the objects to fetch are those machineSelectorFiles names, plus the one the settings name', () => {
    const cluster = rke2With({}, [entry('a'), PSA_ENTRY]);
    const settings = readSettings(cluster, []).settings;

    expect(objectsToFetch(cluster, { ...settings, method: 'secret' }).map((r) => `${ r.kind } ${ r.name }`)).toEqual(['secret a', 'configmap rancher-psact-config', 'secret c-audit-policy']);
  });
});

describe('RKE1: the auditLog block', () => {
  it('create with RKE1 defaults, read back, no-op, disable', () => {
    const cluster = rke1Cluster();
    const settings = { ...readSettings(cluster).settings, enabled: true, policyYaml: CIS };
    const p = plan(cluster, [], settings);

    expect(p.clusterPaths).toEqual(['spec.rancherKubernetesEngineConfig.services.kubeApi.auditLog']);
    expect(getPath(p.cluster, PATHS.rke1AuditLog)).toEqual({
      enabled:       true, configuration: {
        maxAge: 30, maxBackup: 10, maxSize: 100, path: '/var/log/kube-audit/audit-log.json', format: 'json', policy: presetPolicy('cis-minimal')
      }
    });
    expect(getPath(p.cluster, ['spec', 'rancherKubernetesEngineConfig', 'services', 'kubeApi', 'serviceNodePortRange'])).toBe('30000-32767');
    const read = readSettings(p.cluster);

    expect(plan(p.cluster, [], read.settings).noop).toBe(true);
    expect(getPath(plan(p.cluster, [], { ...read.settings, enabled: false }).cluster, PATHS.rke1AuditLog)).toEqual({ enabled: false });
  });

  it('an enabled block without a policy reads as RKE1\'s default policy', () => {
    const read = readSettings(rke1Cluster({ enabled: true }));

    expect(read.settings.policyYaml).toBe(policyToYaml(presetPolicy('rke1-default') as Policy));
    expect(read.problems[0].message).toContain('RKE1 applies its default policy');
  });
});

describe('plans refuse what kube-apiserver would refuse', () => {
  it.each([
    ['v1beta1 policy', readFileSync(join(POLICIES, 'falco-examples-audit-policy.yaml'), 'utf8'), 'no kind "Policy" is registered'],
    ['0 rules', 'apiVersion: audit.k8s.io/v1\nkind: Policy\nrules: []\n', 'loaded illegal policy with 0 rules'],
    ['broken YAML', 'rules: [\n', 'failed decoding'],
  ])('%s', (_name, policyYaml, message) => {
    const cluster = rke2Cluster('c');
    const p = plan(cluster, [], settingsFor(cluster, [], { enabled: true, method: 'inline', policyYaml }));

    expect(p.errors.map((e) => e.message).join('\n')).toContain(message);
    expect(p.noop).toBe(false);
    expect(p.clusterPaths).toEqual([]);
  });
});

const loadable = readdirSync(POLICIES).filter((f) => f.endsWith('.yaml') && f !== 'falco-examples-audit-policy.yaml');

describe.each(['inline', 'secret', 'configmap'] as Method[])('round trip of every real policy through %s', (method) => {
  it.each(loadable)('%s', (file) => {
    const text = readFileSync(join(POLICIES, file), 'utf8');
    const cluster = rke2Cluster('rt');
    const p = plan(cluster, [], settingsFor(cluster, [], { enabled: true, method, policyYaml: text }));
    const after = apply(p, []);
    const read = readSettings(after.cluster, after.objects);

    expect(read.settings.policyYaml).toBe(text);
    expect(read.settings.method).toBe(method);
    expect(plan(after.cluster, after.objects, read.settings).noop).toBe(true);
  });
});

describe('rebase: planning from the saved audit fields keeps the save hook idempotent', () => {
  it('a second run of the hook after its fields were applied plans the same changes', () => {
    const saved = rke2Cluster('c');
    const settings = { ...readSettings(saved).settings, enabled: true, method: 'secret' as Method, policyYaml: CIS };
    const first = plan(rebase(saved, saved), [], settings);
    const live = clone(first.cluster);

    ((live.spec as { rkeConfig: { machineGlobalConfig: Record<string, unknown> } }).rkeConfig.machineGlobalConfig)['kube-apiserver-arg'] = [...args(live), 'v=4'];
    const second = plan(rebase(saved, live), [], settings);

    expect(second.objects.map((o) => o.action)).toEqual(first.objects.map((o) => o.action));
    expect(args(second.cluster)).toEqual([...args(first.cluster).filter((a) => !a.startsWith('audit-')), 'v=4', ...args(first.cluster).filter((a) => a.startsWith('audit-'))]);
  });
});
