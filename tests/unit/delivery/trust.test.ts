/**
 * The trust cases, one table row each: a shared Secret/ConfigMap is never broken for another cluster or another
 * file, a policy delivered some other way is never replaced silently, hand-typed values stay as typed, and what
 * the preview shows is exactly what the save writes. Then a minimal-diff table: each single form edit writes only
 * the field it edits.
 */
import {
  AuditSettings, AUTHORIZED_ANNOTATION, clone, fileHash, fromBase64, getPath, KubeObject, MANAGED_BY_LABEL, MANAGED_BY_VALUE, PATHS, Plan, plan, readSettings,
  releaseAgain
} from '@pkg/delivery';
import { policyToYaml, presetPolicy, Policy } from '@pkg/policy';
import {
  k3sCluster, PSA_ENTRY, rke2Cluster, secret
} from '../../support/clusters';

const NS = 'fleet-default';
const OURS = { [MANAGED_BY_LABEL]: MANAGED_BY_VALUE };
const CIS = policyToYaml(presetPolicy('cis-minimal') as Policy);
const GKE = policyToYaml(presetPolicy('gke') as Policy);

type Item = { kind?: 'secret' | 'configmap', name: string, key: string, path: string, hash?: string, permissions?: string };

/** A cluster with machineSelectorFiles items and kube-apiserver args, as Rancher stores it. */
function cluster(name: string, items: Item[], args: string[] = [], distro: 'rke2' | 'k3s' = 'rke2'): KubeObject {
  const c = distro === 'rke2' ? rke2Cluster(name) : k3sCluster(name);
  const rke = (c.spec as { rkeConfig: Record<string, unknown> }).rkeConfig;

  rke.machineGlobalConfig = { ...(rke.machineGlobalConfig as object), ...(args.length ? { 'kube-apiserver-arg': args } : {}) };
  delete (rke.machineGlobalConfig as Record<string, unknown>)['audit-policy-file'];
  if (items.length) {
    rke.machineSelectorFiles = items.map((it) => ({
      machineLabelSelector: { matchLabels: { 'rke.cattle.io/control-plane-role': 'true' } },
      fileSources:          [{
        [it.kind === 'configmap' ? 'configMap' : 'secret']: {
          name: it.name, items: [{ key: it.key, path: it.path, ...(it.hash ? { hash: it.hash } : {}), ...(it.permissions ? { permissions: it.permissions } : {}) }]
        }
      }],
    }));
  }

  return c;
}

function configMap(name: string, data: Record<string, string>, annotations: Record<string, string>, labels: Record<string, string> = {}): KubeObject {
  return {
    apiVersion: 'v1', kind: 'ConfigMap', type: 'configmap', metadata: { name, namespace: NS, annotations, labels }, data
  };
}

const args = (c: KubeObject) => (getPath(c, PATHS.apiserverArgs) as string[]) || [];
const POLICY_ARG = 'audit-policy-file=/etc/rancher/rke2/audit-policy.yaml';
const POLICY_ITEM: Item = { name: 's', key: 'audit-policy.yaml', path: '/etc/rancher/rke2/audit-policy.yaml' };
const REGISTRY_ITEM: Item = { name: 's', key: 'registries', path: '/etc/rancher/rke2/registries-extra.yaml' };

/** Plans a change of the settings read off the cluster, with the namespace's other clusters. */
function edit(self: KubeObject, objects: KubeObject[], change: (s: AuditSettings) => void, others: KubeObject[] = []): Plan {
  const settings = clone(readSettings(self, objects).settings);

  change(settings);

  return plan(self, objects, settings, { clusters: [self, ...others] });
}

const changed = (p: Plan, name: string) => p.objects.find((o) => o.name === name);

describe('the trust cases', () => {
  it('1. disable on a cluster whose Secret also delivers another file to it: the Secret stays authorized, only the policy key goes', () => {
    const self = cluster('c', [POLICY_ITEM, REGISTRY_ITEM], [POLICY_ARG]);
    const s = secret('s', { 'audit-policy.yaml': CIS, registries: 'mirrors: {}' }, { [AUTHORIZED_ANNOTATION]: 'c' }, OURS);
    const p = edit(self, [s], (x) => {
      x.enabled = false;
    });
    const release = changed(p, 's');

    expect(release?.action).toBe('update');
    expect(release?.after?.metadata.annotations?.[AUTHORIZED_ANNOTATION]).toBe('c');
    expect(Object.keys(release?.after?.data || {})).toEqual(['registries']);
    expect(JSON.stringify(getPath(p.cluster, PATHS.machineSelectorFiles))).toContain('registries-extra.yaml');
  });

  it('1. switch method on the same cluster: the Secret that delivers another file is not deleted nor de-authorized', () => {
    const self = cluster('c', [POLICY_ITEM, REGISTRY_ITEM], [POLICY_ARG]);
    const s = secret('s', { 'audit-policy.yaml': CIS, registries: 'mirrors: {}' }, { [AUTHORIZED_ANNOTATION]: 'c' }, OURS);
    const p = edit(self, [s], (x) => {
      x.method = 'inline';
    });

    expect(p.objects.filter((o) => o.name === 's').map((o) => [o.action, o.after?.metadata.annotations?.[AUTHORIZED_ANNOTATION]])).toEqual([['update', 'c']]);
  });

  type NameRow = [what: string, object: KubeObject, others: KubeObject[], blocked: string | null];
  const nameRows: NameRow[] = [
    ['a Secret two other clusters read for their policy', secret('shared', { 'audit-policy.yaml': GKE }, { [AUTHORIZED_ANNOTATION]: 'a,b' }, OURS), [cluster('a', [{ ...POLICY_ITEM, name: 'shared' }]), cluster('b', [{ ...POLICY_ITEM, name: 'shared' }])], 'is used by 2 clusters (a, b) for 2 files'],
    ['a foreign Secret (another cluster\'s kubeconfig)', secret('shared', { kubeconfig: 'k' }, { [AUTHORIZED_ANNOTATION]: 'a' }), [], 'would hand this cluster every key of it ("kubeconfig")'],
    ['a Secret that already holds exactly this policy: shared, fine', secret('shared', { 'audit-policy.yaml': CIS }, { [AUTHORIZED_ANNOTATION]: 'a' }, OURS), [cluster('a', [{ ...POLICY_ITEM, name: 'shared' }])], null],
  ];

  it.each(nameRows)('2. choosing the name of %s', (_what, object, others, blocked) => {
    const self = cluster('c', []);
    const p = edit(self, [object], (x) => {
      Object.assign(x, { enabled: true, method: 'secret', policyYaml: CIS });
      x.file.name = 'shared';
    }, others);

    if (blocked) {
      expect(p.errors.map((e) => e.message).join()).toContain(blocked);
      expect(p.errors[0].suggestion).toBe('c-audit-policy');
      expect(p.objects).toEqual([]);
      expect(p.clusterPaths).toEqual([]);
    } else {
      expect(p.errors).toEqual([]);
      expect(changed(p, 'shared')?.after?.data).toEqual(object.data);
      expect(changed(p, 'shared')?.after?.metadata.annotations?.[AUTHORIZED_ANNOTATION]).toBe('a,c');
    }
  });

  it('3. a policy file put on the nodes some other way is external: editing max age leaves it alone', () => {
    const typed = ['audit-policy-file=/etc/custom/policy.yaml', 'audit-log-path=/var/log/a.log', 'audit-log-maxage=30'];
    const self = cluster('c', [], typed);
    const read = readSettings(self, []);

    expect(read.settings).toMatchObject({ enabled: true, external: '/etc/custom/policy.yaml' });
    const p = edit(self, [], (x) => {
      x.log.maxAge = '45';
    });

    expect(args(p.cluster)).toEqual(['audit-policy-file=/etc/custom/policy.yaml', 'audit-log-path=/var/log/a.log', 'audit-log-maxage=45']);
    expect(p.clusterPaths).toEqual(['spec.rkeConfig.machineGlobalConfig.kube-apiserver-arg']);
    expect(p.objects).toEqual([]);
  });

  type CheckRow = [what: string, change: (s: AuditSettings) => void, severity: 'error' | 'warning', path: string, message: string];
  const checkRows: CheckRow[] = [
    ['a selector key with a space', (s) => {
      s.file.nodeSelector = { 'foo bar': 'x' };
    }, 'error', 'file.nodeSelector', 'node label key "foo bar": name part must consist of alphanumeric characters'],
    ['a selector with an empty key', (s) => {
      s.file.nodeSelector = { '': 'x' };
    }, 'error', 'file.nodeSelector', 'name part must be non-empty'],
    ['a selector that excludes the control plane', (s) => {
      s.file.nodeSelector = { 'rke.cattle.io/control-plane-role': 'false' };
    }, 'warning', 'file.nodeSelector', 'it would never get the policy file'],
    ['a path Rancher\'s PSA file already uses', (s) => {
      s.file.path = PSA_ENTRY.fileSources[0].configMap.items[0].path;
    }, 'error', 'file.path', 'is already written by machineSelectorFiles[0] (ConfigMap rancher-psact-config'],
    ['a path Rancher writes itself', (s) => {
      s.file.path = '/etc/rancher/rke2/config.yaml.d/50-rancher.yaml';
    }, 'error', 'file.path', 'is already written by Rancher itself'],
    ['an object name that is not a DNS-1123 subdomain', (s) => {
      s.file.name = 'Audit Policy';
    }, 'error', 'file.name', 'a DNS-1123 subdomain must consist'],
    ['a key that is not a config key', (s) => {
      s.file.key = 'a/b';
    }, 'error', 'file.key', 'a valid config key must consist'],
  ];

  it.each(checkRows)('4. %s', (_what, change, severity, path, message) => {
    const self = cluster('c', []);

    (self.spec as { rkeConfig: Record<string, unknown> }).rkeConfig.machineSelectorFiles = [clone(PSA_ENTRY)];
    const p = edit(self, [], (s) => {
      Object.assign(s, { enabled: true, method: 'secret', policyYaml: CIS });
      change(s);
    });
    const found = (severity === 'error' ? p.errors : p.warnings).filter((e) => e.path === path).map((e) => e.message).join('\n');

    expect(found).toContain(message);
  });

  it('5. the after-save release decides on the object as it is then: a cluster added meanwhile keeps it', () => {
    const self = cluster('c', [POLICY_ITEM], [POLICY_ARG]);
    const s = secret('s', { 'audit-policy.yaml': CIS }, { [AUTHORIZED_ANNOTATION]: 'c' }, OURS);
    const p = edit(self, [s], (x) => {
      x.enabled = false;
    });
    const planned = changed(p, 's');

    expect(planned?.action).toBe('delete');
    const fresh = secret('s', { 'audit-policy.yaml': CIS }, { [AUTHORIZED_ANNOTATION]: 'c,late' }, OURS);
    const again = releaseAgain(p, planned as NonNullable<typeof planned>, fresh, [self]);

    expect(again?.action).toBe('update');
    expect(again?.after?.metadata.annotations?.[AUTHORIZED_ANNOTATION]).toBe('late');
    expect(releaseAgain(p, planned as NonNullable<typeof planned>, null, [self])).toBeNull();
  });

  type TypedRow = [typed: string[]];
  const typedRows: TypedRow[] = [
    [['audit-log-format=JSON']],
    [['audit-log-maxage=ten']],
    [['audit-log-maxage=007']],
    [['audit-log-maxbackup=10', '--audit-log-maxbackup=10']],
    [['audit-log-maxsize=1e3', 'audit-log-path=/var/log/a.log']],
  ];

  it.each(typedRows)('6. hand-typed %j: plan(readSettings(x)) changes nothing, and editing another field keeps them byte for byte', (typed) => {
    const self = cluster('c', [POLICY_ITEM], [...typed, POLICY_ARG]);
    const s = secret('s', { 'audit-policy.yaml': CIS }, { [AUTHORIZED_ANNOTATION]: 'c' }, OURS);

    expect(edit(self, [s], () => undefined).noop).toBe(true);
    const p = edit(self, [s], (x) => {
      x.policyYaml = GKE;
    });

    expect(args(p.cluster)).toEqual([...typed, POLICY_ARG]);
  });

  type ObjectProblemRow = [what: string, object: KubeObject, problem: string];
  const objectProblemRows: ObjectProblemRow[] = [
    ['a stale hash', secret('s', { 'audit-policy.yaml': CIS }, { [AUTHORIZED_ANNOTATION]: 'c' }, OURS), 'does not contain the expected content'],
    ['a key in data and binaryData', { ...secret('s', { 'audit-policy.yaml': CIS }, { [AUTHORIZED_ANNOTATION]: 'c' }, OURS), binaryData: { 'audit-policy.yaml': 'AA==' } }, 'in both data and binaryData'],
    ['an immutable object', { ...secret('s', { 'audit-policy.yaml': CIS }, { [AUTHORIZED_ANNOTATION]: 'c' }, OURS), immutable: true }, 'is immutable'],
  ];

  it.each(objectProblemRows)('6. %s is reported', (_what, object, problem) => {
    const self = cluster('c', [{ ...POLICY_ITEM, hash: fileHash('an older policy') }], [POLICY_ARG]);

    expect(readSettings(self, [object]).problems.map((p) => p.message).join('\n')).toContain(problem);
  });

  it('6. a stale hash is fixed by a plain Save (the preview shows it)', () => {
    const self = cluster('c', [{ ...POLICY_ITEM, hash: fileHash('an older policy') }], [POLICY_ARG]);
    const s = secret('s', { 'audit-policy.yaml': CIS }, { [AUTHORIZED_ANNOTATION]: 'c' }, OURS);
    const p = edit(self, [s], () => undefined);

    expect(p.objects).toEqual([]);
    expect(JSON.stringify(getPath(p.cluster, PATHS.machineSelectorFiles))).toContain(fileHash(CIS));
  });

  it('7. a Secret annotated "other-cluster, c": flagged, and the plan of the unedited settings fixes exactly that entry', () => {
    const self = cluster('c', [POLICY_ITEM], [POLICY_ARG]);
    const s = secret('s', { 'audit-policy.yaml': CIS }, { [AUTHORIZED_ANNOTATION]: 'other-cluster, c' }, OURS);

    expect(readSettings(self, [s]).problems.map((p) => p.message).join()).toContain('is not authorized for this cluster');
    const p = edit(self, [s], () => undefined);

    expect(p.objects.map((o) => [o.action, o.after?.metadata.annotations?.[AUTHORIZED_ANNOTATION]])).toEqual([['update', 'other-cluster,c']]);
    expect(p.warnings.map((w) => w.message).join()).toContain('Save fixes the entry to "c" and keeps the others');
    expect(p.clusterPaths).toEqual([]);
  });

  it('7. a ConfigMap cluster opened and not edited: Saving changes nothing', () => {
    const self = cluster('k', [{ kind: 'configmap', name: 'cm', key: 'policy.yaml', path: '/var/lib/rancher/k3s/server/audit.yaml', permissions: '0644' }], ['audit-log-maxage=30', 'audit-policy-file=/var/lib/rancher/k3s/server/audit.yaml'], 'k3s');
    const cm = configMap('cm', { 'policy.yaml': CIS }, { [AUTHORIZED_ANNOTATION]: 'k' });

    expect(edit(self, [cm], () => undefined).noop).toBe(true);
  });

  it('9. a foreign Secret that was given the policy key loses that key when audit is turned off', () => {
    const self = cluster('c', [POLICY_ITEM], [POLICY_ARG]);
    const s = secret('s', { 'audit-policy.yaml': CIS, kubeconfig: 'k' }, { [AUTHORIZED_ANNOTATION]: 'x,c' });
    const release = changed(edit(self, [s], (x) => {
      x.enabled = false;
    }), 's');

    expect(release?.action).toBe('update');
    expect(Object.keys(release?.after?.data || {})).toEqual(['kubeconfig']);
    expect(release?.after?.metadata.annotations?.[AUTHORIZED_ANNOTATION]).toBe('x');
  });
});

/** Every leaf that differs between two JSON values, as a dotted path (`spec.rkeConfig.machineSelectorFiles[0]...`). */
function leafDiff(a: unknown, b: unknown, path = ''): string[] {
  if (JSON.stringify(a) === JSON.stringify(b)) {
    return [];
  }
  if (a && b && typeof a === 'object' && typeof b === 'object' && Array.isArray(a) === Array.isArray(b)) {
    const keys = [...new Set([...Object.keys(a as object), ...Object.keys(b as object)])];

    return keys.flatMap((k) => leafDiff((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], Array.isArray(a) ? `${ path }[${ k }]` : `${ path ? `${ path }.` : '' }${ k }`));
  }

  return [path];
}

/** What a plan writes: the cluster's leaves and each object's leaves that change (policy text compared line by line). */
function written(before: KubeObject, p: Plan): string[] {
  const objects = p.objects.flatMap((o) => {
    if (!o.before || !o.after) {
      return [`${ o.action } ${ o.name }`];
    }
    const text = (x: KubeObject) => Object.fromEntries(Object.entries(x.data || {}).map(([k, v]) => [k, (x.kind === 'Secret' ? fromBase64(v) : v).split('\n')]));

    return [...leafDiff({ ...o.before, data: text(o.before) }, { ...o.after, data: text(o.after) }, o.name)];
  });

  return [...leafDiff(before.spec, p.cluster.spec, 'spec'), ...objects];
}

const K3S_PATH = '/var/lib/rancher/k3s/server/audit.yaml';
const cmCluster = () => cluster('k', [{ kind: 'configmap', name: 'cm', key: 'policy.yaml', path: K3S_PATH, permissions: '0644', hash: fileHash(CIS) }], ['enable-admission-plugins=NodeRestriction', 'audit-log-maxage=30', `audit-policy-file=${ K3S_PATH }`, 'audit-log-path=/var/log/a.log'], 'k3s');
const cmObject = () => configMap('cm', { 'policy.yaml': CIS }, { [AUTHORIZED_ANNOTATION]: 'k' });
const ITEM = 'spec.rkeConfig.machineSelectorFiles[0]';
const ARGS = 'spec.rkeConfig.machineGlobalConfig.kube-apiserver-arg';

type DiffRow = [edit: string, change: (s: AuditSettings) => void, writes: string[]];
const diffRows: DiffRow[] = [
  ['max age', (s) => {
    s.log.maxAge = '45';
  }, [`${ ARGS }[1]`]],
  ['max size, never set before', (s) => {
    s.log.maxSize = '200';
  }, [`${ ARGS }[4]`]],
  ['log path', (s) => {
    s.log.path = '/var/log/b.log';
  }, [`${ ARGS }[3]`]],
  ['node selector', (s) => {
    s.file.nodeSelector = { 'rke.cattle.io/control-plane-role': 'true', zone: 'a' };
  }, [`${ ITEM }.machineLabelSelector.matchLabels.zone`]],
  ['permissions', (s) => {
    s.file.permissions = '0600';
  }, [`${ ITEM }.fileSources[0].configMap.items[0].permissions`]],
  ['hash check off', (s) => {
    s.file.hash = false;
  }, [`${ ITEM }.fileSources[0].configMap.items[0].hash`]],
  ['one rule\'s level', (s) => {
    s.policyYaml = CIS.replace('  - level: Metadata\n    omitStages', '  - level: Request\n    omitStages');
  }, [`${ ITEM }.fileSources[0].configMap.items[0].hash`, 'cm.data.policy.yaml[10]']],
];

describe('minimal diff: a single form edit writes only the field it edits (K3s ConfigMap cluster, permissions 0644, hand-ordered args)', () => {
  it.each(diffRows)('%s', (_edit, change, writes) => {
    const self = cmCluster();
    const p = edit(self, [cmObject()], change);

    expect(p.errors).toEqual([]);
    expect(written(self, p)).toEqual(writes);
  });
});
