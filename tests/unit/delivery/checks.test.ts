/** Delivery checks: path collisions, selectors that miss the control plane, stale hashes (delivery/checks.ts). */
import {
  excludesControlPlane, fileHash, KubeObject, pathWriter, rancherFilePaths, staleHash
} from '@pkg/delivery';
import { PSA_ENTRY, rke2Cluster, secret } from '../../support/clusters';

const cluster: KubeObject = rke2Cluster('c');

(cluster.spec as { rkeConfig: Record<string, unknown> }).rkeConfig.machineSelectorFiles = [
  PSA_ENTRY,
  { fileSources: [{ secret: { name: 's', items: [{ key: 'audit.yaml', path: '/etc/audit.yaml' }] } }] },
];

type PathRow = [path: string, own: { entry: number, source: number, item: number } | undefined, writer: string | null];

const pathRows: PathRow[] = [
  ['/etc/rancher/rke2/config/rancher-psact.yaml', undefined, 'machineSelectorFiles[0] (ConfigMap rancher-psact-config, key "rancher-psact.yaml")'],
  ['/etc/audit.yaml', undefined, 'machineSelectorFiles[1] (Secret s, key "audit.yaml")'],
  ['/etc/audit.yaml', { entry: 1, source: 0, item: 0 }, null],
  ['/etc/rancher/rke2/config.yaml.d/50-rancher.yaml', undefined, 'Rancher itself'],
  ['/var/lib/rancher/rke2/etc/config-files/audit-policy-file', undefined, 'Rancher itself'],
  ['/etc/rancher/rke2/audit-policy.yaml', undefined, null],
];

describe('pathWriter: who else writes this path on the nodes', () => {
  it.each(pathRows)('%s (own %j) -> %s', (path, own, writer) => {
    expect(pathWriter(cluster, 'rke2', path, own)).toBe(writer);
  });

  it('follows a custom data dir', () => {
    const custom = rke2Cluster('c');

    (custom.spec as { rkeConfig: Record<string, unknown> }).rkeConfig.dataDirectories = { k8sDistro: '/data/rke2' };
    expect(rancherFilePaths(custom, 'rke2')).toContain('/data/rke2/kube-api-authn-webhook.yaml');
    expect(rancherFilePaths(custom, 'k3s')).toContain('/etc/rancher/k3s/config/rancher-psact.yaml');
  });
});

type SelectorRow = [selector: Record<string, unknown> | undefined, excluded: string | null];

const CP = 'rke.cattle.io/control-plane-role';
const selectorRows: SelectorRow[] = [
  [undefined, null],
  [{ matchLabels: { [CP]: 'true' } }, null],
  [{ matchLabels: { [CP]: 'false' } }, 'matchLabels sets rke.cattle.io/control-plane-role="false"'],
  [{ matchLabels: { [CP]: 'True' } }, 'matchLabels sets'],
  [{ matchLabels: { 'rke.cattle.io/worker-role': 'true' } }, null],
  [{ matchExpressions: [{ key: CP, operator: 'DoesNotExist' }] }, 'DoesNotExist'],
  [{ matchExpressions: [{ key: CP, operator: 'NotIn', values: ['true'] }] }, 'NotIn ["true"]'],
  [{ matchExpressions: [{ key: CP, operator: 'In', values: ['yes'] }] }, 'In ["yes"]'],
  [{ matchExpressions: [{ key: CP, operator: 'In', values: ['true'] }] }, null],
  [{ matchExpressions: [null, { key: CP, operator: 'Exists' }] }, null],
];

describe('excludesControlPlane', () => {
  it.each(selectorRows)('%j -> %s', (selector, excluded) => {
    const got = excludesControlPlane(selector);

    if (excluded === null) {
      expect(got).toBeNull();
    } else {
      expect(got).toContain(excluded);
    }
  });
});

describe('staleHash', () => {
  const s = secret('s', { 'audit.yaml': 'policy' });

  it.each([
    [{ key: 'audit.yaml', hash: fileHash('policy') }, null],
    [{ key: 'audit.yaml' }, null],
    [{ key: 'missing', hash: 'x' }, null],
    [{ key: 'audit.yaml', hash: fileHash('old policy') }, { want: fileHash('policy'), got: fileHash('old policy') }],
  ])('%j -> %j', (item, want) => {
    expect(staleHash(item, s, 'secret')).toEqual(want);
  });
});
