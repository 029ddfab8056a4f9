/**
 * Reading WORLD (fleet/world.ts): a Kubernetes List in YAML or JSON, read as kube-apiserver reads either, sorted
 * into clusters and objects; what the API server could never have returned is refused with one line.
 */
import { readWorld, worldFromList } from '@pkg/fleet';

const list = (...items: unknown[]) => ({ apiVersion: 'v1', kind: 'List', items });
const prov = { apiVersion: 'provisioning.cattle.io/v1', kind: 'Cluster', metadata: { name: 'c', namespace: 'fleet-default' }, spec: { rkeConfig: {} } };
const mgmt = { apiVersion: 'management.cattle.io/v3', kind: 'Cluster', metadata: { name: 'c-m-1' }, spec: {} };
const secret = { apiVersion: 'v1', kind: 'Secret', type: 'Opaque', metadata: { name: 's', namespace: 'fleet-default' }, data: { k: 'YQ==' } };
const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'm', namespace: 'fleet-default' }, data: { k: 'a' } };
const role = { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: 'r' } };

describe('sorting a List', () => {
  it.each([
    ['provisioning and management clusters, Secrets, ConfigMaps', list(prov, mgmt, secret, cm), 2, 2, 0],
    ['other kinds are left out and counted', list(prov, role, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'n' } }), 1, 0, 2],
    ['a Cluster of another group is another kind', list({ ...prov, apiVersion: 'cluster.x-k8s.io/v1beta1' }), 0, 0, 1],
    ['an empty List', list(), 0, 0, 0],
  ])('%s', (_what, value, clusters, objects, ignored) => {
    const read = worldFromList(value);

    expect(read.ok && [read.world.clusters.length, read.world.objects.length, read.ignored]).toEqual([clusters, objects, ignored]);
  });
});

describe('refused', () => {
  it.each([
    ['not a List', { kind: 'Secret' }, 'not a Kubernetes List: want an object with "items", as kubectl get ... -o yaml prints it'],
    ['an item that is not an object', list('x'), 'items[0]: not an object'],
    ['no metadata.name', list({ ...secret, metadata: {} }), 'items[0]: a Secret without metadata.name'],
    ['a namespace that is not a string', list({ ...cm, metadata: { name: 'm', namespace: 1 } }), 'items[0] (ConfigMap m): metadata.namespace is not a string'],
    ['an annotation that is not a string', list({ ...secret, metadata: { name: 's', annotations: { a: 1 } } }), 'items[0] (Secret s): metadata.annotations.a: not a string'],
    ['Secret data that is not base64', list({ ...secret, data: { k: 'not base64!' } }), 'items[0] (Secret s): data.k is not base64'],
    ['ConfigMap data that is not a string', list({ ...cm, data: { k: 1 } }), 'items[0] (ConfigMap m): data.k: not a string'],
    ['a spec that is not an object', list({ ...prov, spec: [] }), 'items[0] (Cluster c): spec is not an object'],
    ['a kubernetesVersion that is not a string', list({ ...prov, spec: { kubernetesVersion: 1.3 } }), 'items[0] (Cluster c): spec.kubernetesVersion is not a string'],
    ['an RKE1 policy rule that is not an object', list({ ...mgmt, spec: { rancherKubernetesEngineConfig: { services: { kubeApi: { auditLog: { configuration: { policy: { rules: [null] } } } } } } } }), 'items[0] (Cluster c-m-1): spec.rancherKubernetesEngineConfig.services.kubeApi.auditLog.configuration.policy.rules: not a list of objects'],
    ['a machineSelectorFiles entry that is null', list({ ...prov, spec: { rkeConfig: { machineSelectorFiles: [null] } } }), 'items[0] (Cluster c): spec.rkeConfig.machineSelectorFiles: not a list of objects'],
    ['file items that are not objects', list({ ...prov, spec: { rkeConfig: { machineSelectorFiles: [{ fileSources: [{ secret: { items: ['x'] } }] }] } } }), 'items[0] (Cluster c): spec.rkeConfig.machineSelectorFiles[0].fileSources[0].secret.items: not a list of objects'],
  ])('%s', (_what, value, error) => {
    expect(worldFromList(value)).toEqual({ ok: false, error });
  });
});

describe('readWorld: YAML or JSON text', () => {
  it.each([
    ['YAML', 'apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: ConfigMap\n  metadata: {name: m}\n  data: {k: a}\n', true],
    ['JSON', JSON.stringify(list(cm)), true],
    ['YAML with an anchor (the precise reader)', 'apiVersion: v1\nkind: List\nitems:\n- &m {apiVersion: v1, kind: ConfigMap, metadata: {name: m}}\n', true],
  ])('%s', (_what, text, ok) => {
    expect(readWorld(text).ok).toBe(ok);
  });

  it.each([
    ['a YAML syntax error, with its line', 'items:\n- a: [\n', /^not YAML or JSON: yaml: line 3\b.*\S$/],
    ['broken JSON', '{"items": [', /^not YAML or JSON: couldn't get version\/kind; json parse error: unexpected end of JSON input \(line 1, column \d+\)$/],
    ['an alias bomb (go-yaml\'s limit)', `a: &a [x,x,x,x,x,x,x,x,x]\n${ Array.from({ length: 9 }, (_, i) => `${ String.fromCharCode(98 + i) }: &${ String.fromCharCode(98 + i) } [${ Array(9).fill(`*${ String.fromCharCode(97 + i) }`).join(',') }]`).join('\n') }\n`, /^not YAML or JSON: yaml: document contains excessive aliasing$/],
    ['a scalar', 'hello\n', /^not a Kubernetes List/],
  ])('%s is refused', (_what, text, error) => {
    const read = readWorld(text);

    expect(read.ok).toBe(false);
    expect(!read.ok && read.error).toMatch(error);
  });
});
