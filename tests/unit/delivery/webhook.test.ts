/**
 * The webhook backend in the plan and read back (delivery/webhook.ts): the args it writes, the Secret and the
 * machineSelectorFiles item that deliver its kubeconfig, the shared-objects rules for a Secret that holds credentials
 * (made by this extension, authorized for this cluster only, never shared), the release when the webhook goes, and
 * readSettings recovering exactly what the plan wrote (plan(readSettings(x)) is a no-op).
 */
import {
  AuditSettings, AUTHORIZED_ANNOTATION, clone, editKubeconfig, fileHash, getPath, KubeObject, MANAGED_BY_LABEL, MANAGED_BY_VALUE, PATHS, Plan, plan, Problem,
  readSettings
} from '@pkg/delivery';
import { policyToYaml, presetPolicy, Policy } from '@pkg/policy';
import {
  k3sCluster, PSA_ENTRY, rke1Cluster, rke2Cluster, secret
} from '../../support/clusters';

const NS = 'fleet-default';
const OURS = { [MANAGED_BY_LABEL]: MANAGED_BY_VALUE };
const CIS = policyToYaml(presetPolicy('cis-minimal') as Policy);
const TOKEN = 'sup3r-s3cret-t0ken';
const KUBECONFIG = editKubeconfig('', { server: 'https://siem.example.com:8443/audit', auth: 'token', token: TOKEN });
const OTHER_KUBECONFIG = editKubeconfig(KUBECONFIG, { server: 'https://falco.example.com:9765/k8s-audit' });
const RKE2_PATH = '/etc/rancher/rke2/audit-webhook.yaml';
const CP = { 'rke.cattle.io/control-plane-role': 'true' };

const args = (c: KubeObject) => (getPath(c, PATHS.apiserverArgs) as string[] | undefined) || [];
const files = (c: KubeObject) => (getPath(c, PATHS.machineSelectorFiles) as unknown[] | undefined) || [];
const messages = (problems: Problem[]) => problems.map((p) => `${ p.severity } ${ p.path }: ${ p.message }`);

/** An RKE2 (or K3s) cluster with an inline policy, the given kube-apiserver args and machineSelectorFiles entries. */
function cluster(name: string, extraArgs: string[] = [], entries: unknown[] = [], distro: 'rke2' | 'k3s' = 'rke2'): KubeObject {
  const c = distro === 'rke2' ? rke2Cluster(name) : k3sCluster(name);
  const rke = (c.spec as { rkeConfig: Record<string, unknown> }).rkeConfig;

  rke.machineGlobalConfig = { ...(rke.machineGlobalConfig as object), ...(distro === 'rke2' ? { 'audit-policy-file': CIS } : {}), ...(extraArgs.length ? { 'kube-apiserver-arg': extraArgs } : {}) };
  if (entries.length) {
    rke.machineSelectorFiles = entries;
  }

  return c;
}

/** A machineSelectorFiles entry delivering `key` of a Secret (or ConfigMap) to `path` on control-plane machines. */
function entry(name: string, key: string, path: string, extra: Record<string, unknown> = {}, kind: 'secret' | 'configMap' = 'secret'): unknown {
  return { machineLabelSelector: { matchLabels: CP }, fileSources: [{ [kind]: { name, items: [{ key, path, permissions: '0600', ...extra }] } }] };
}

/** The webhook Secret this extension writes for cluster `c`. */
function webhookSecret(name: string, text: string, annotation: string, labels: Record<string, string> = OURS): KubeObject {
  return secret(name, { 'audit-webhook.yaml': text }, { [AUTHORIZED_ANNOTATION]: annotation }, labels);
}

/** Plans a change of the settings read off the cluster. */
function edit(self: KubeObject, objects: KubeObject[], change: (s: AuditSettings) => void, others: KubeObject[] = []): Plan {
  const settings = clone(readSettings(self, objects).settings);

  change(settings);

  return plan(self, objects, settings, { clusters: [self, ...others] });
}

/** Applies a plan as apply.ts does (objects before and after, the cluster). */
function apply(p: Plan, objects: KubeObject[]): { cluster: KubeObject, objects: KubeObject[] } {
  let store = clone(objects);

  for (const change of p.objects) {
    store = store.filter((o) => !(o.metadata.name === change.name && (o.kind || '').toLowerCase() === change.kind));
    if (change.after) {
      store.push({ ...clone(change.after), type: change.kind });
    }
  }

  return { cluster: clone(p.cluster), objects: store };
}

const turnOn = (s: AuditSettings) => {
  s.webhook.enabled = true;
  s.webhook.kubeconfig = KUBECONFIG;
};

describe('turning the webhook on', () => {
  it.each([
    ['rke2', RKE2_PATH],
    ['k3s', '/var/lib/rancher/k3s/server/audit-webhook.yaml'],
  ] as ['rke2' | 'k3s', string][])('%s: a Secret of its own for this cluster only, its item to control-plane machines, the config file arg', (distro, path) => {
    const self = cluster('c', distro === 'k3s' ? ['audit-policy-file=/var/lib/rancher/k3s/server/audit.yaml'] : [], distro === 'k3s' ? [entry('c-audit-policy', 'audit-policy.yaml', '/var/lib/rancher/k3s/server/audit.yaml')] : [], distro);
    const policy = secret('c-audit-policy', { 'audit-policy.yaml': CIS }, { [AUTHORIZED_ANNOTATION]: 'c' }, OURS);
    const objects = distro === 'k3s' ? [policy] : [];
    const p = edit(self, objects, (s) => {
      turnOn(s);
      s.webhook.flags = { mode: 'batch', batchMaxWait: '5s' };
    });

    expect(p.errors).toEqual([]);
    expect(p.objects.map((o) => [o.action, o.phase, o.kind, o.name, o.reason])).toEqual([
      ['create', 'before', 'secret', 'c-audit-webhook', 'Secret fleet-default/c-audit-webhook holds the webhook kubeconfig under "audit-webhook.yaml" (1 key, hidden) and authorizes cluster "c"'],
    ]);
    expect(p.objects[0].after).toEqual({
      apiVersion: 'v1', kind: 'Secret', type: 'Opaque', metadata: { name: 'c-audit-webhook', namespace: NS, labels: OURS, annotations: { [AUTHORIZED_ANNOTATION]: 'c' } }, data: { 'audit-webhook.yaml': Buffer.from(KUBECONFIG).toString('base64') },
    });
    expect(files(p.cluster).slice(-1)).toEqual([{
      machineLabelSelector: { matchLabels: CP }, fileSources: [{ secret: { name: 'c-audit-webhook', items: [{ key: 'audit-webhook.yaml', path, permissions: '0600', hash: fileHash(KUBECONFIG) }] } }],
    }]);
    expect(args(p.cluster).filter((a) => a.startsWith('audit-webhook'))).toEqual([`audit-webhook-config-file=${ path }`, 'audit-webhook-mode=batch', 'audit-webhook-batch-max-wait=5s']);
  });

  it('the credentials are never in the cluster spec, a reason, a warning or an error', () => {
    const p = edit(cluster('c'), [], (s) => {
      turnOn(s);
      s.webhook.flags = { mode: 'blocking-strict' };
    });
    const shown = JSON.stringify([p.cluster, p.objects.map((o) => o.reason), p.warnings, p.errors]);

    expect(p.warnings.length).toBeGreaterThan(0);
    expect(shown).not.toContain(TOKEN);
    expect(shown).not.toContain(Buffer.from(KUBECONFIG).toString('base64'));
  });

  it('what the plan wrote reads back as the same settings, and planning them again changes nothing', () => {
    const self = cluster('c', ['v=2'], [clone(PSA_ENTRY)]);
    const p = edit(self, [], (s) => {
      turnOn(s);
      s.webhook.flags = { batchThrottleQPS: '2.5', truncateEnabled: 'true' };
    });
    const saved = apply(p, []);
    const read = readSettings(saved.cluster, saved.objects);

    expect(read.problems).toEqual([]);
    expect(read.settings.webhook).toEqual({
      enabled: true, kubeconfig: KUBECONFIG, file: { name: 'c-audit-webhook', key: 'audit-webhook.yaml', path: RKE2_PATH, nodeSelector: CP, hash: true, permissions: '0600' }, flags: { batchThrottleQPS: '2.5', truncateEnabled: 'true' },
    });
    expect(plan(saved.cluster, saved.objects, read.settings, { clusters: [saved.cluster] }).noop).toBe(true);
    expect(files(saved.cluster)[0]).toEqual(PSA_ENTRY);
  });
});

describe('editing and turning it off: only what changes is written; the Secret is released under the shared-objects rules', () => {
  const ON_ARGS = [`audit-webhook-config-file=${ RKE2_PATH }`, 'audit-webhook-mode=blocking'];
  const onCluster = (name = 'c', annotationCluster = name) => ({
    self:    cluster(name, ['v=2', ...ON_ARGS], [entry(`${ name }-audit-webhook`, 'audit-webhook.yaml', RKE2_PATH, { hash: fileHash(KUBECONFIG) })]),
    objects: [webhookSecret(`${ name }-audit-webhook`, KUBECONFIG, annotationCluster)],
  });

  it('a flag alone: the arg changes, nothing else', () => {
    const { self, objects } = onCluster();
    const p = edit(self, objects, (s) => {
      s.webhook.flags = { mode: 'batch', initialBackoff: '1m' };
    });

    expect(p.objects).toEqual([]);
    expect(p.clusterPaths).toEqual(['spec.rkeConfig.machineGlobalConfig.kube-apiserver-arg']);
    expect(args(p.cluster)).toEqual(['v=2', `audit-webhook-config-file=${ RKE2_PATH }`, 'audit-webhook-mode=batch', 'audit-webhook-initial-backoff=1m']);
  });

  it('the kubeconfig: the Secret is updated and the item\'s hash follows; the args stay', () => {
    const { self, objects } = onCluster();
    const p = edit(self, objects, (s) => {
      s.webhook.kubeconfig = OTHER_KUBECONFIG;
    });

    expect(p.objects.map((o) => [o.action, o.name])).toEqual([['update', 'c-audit-webhook']]);
    expect(p.objects[0].after?.data).toEqual({ 'audit-webhook.yaml': Buffer.from(OTHER_KUBECONFIG).toString('base64') });
    expect(JSON.stringify(files(p.cluster))).toContain(fileHash(OTHER_KUBECONFIG));
    expect(args(p.cluster)).toEqual(['v=2', ...ON_ARGS]);
  });

  it.each([
    ['the webhook ticked off', (s: AuditSettings) => {
      s.webhook.enabled = false;
    }],
    ['audit logging turned off', (s: AuditSettings) => {
      s.enabled = false;
    }],
  ])('%s: item and args go, the Secret this extension made for this cluster alone is deleted after the save', (_what, change) => {
    const { self, objects } = onCluster();
    const p = edit(self, objects, change);

    expect(p.objects.map((o) => [o.action, o.phase, o.reason])).toEqual([['delete', 'after', 'Secret fleet-default/c-audit-webhook was created by this extension and no cluster is authorized for it or reads it any more']]);
    expect(files(p.cluster)).toEqual([]);
    expect(args(p.cluster).filter((a) => a.startsWith('audit-webhook'))).toEqual([]);
  });

  it('a Secret authorized for another cluster too is only de-authorized for this one', () => {
    const { self, objects } = onCluster('c', 'c,d');
    const p = edit(self, objects, (s) => {
      s.webhook.enabled = false;
    });

    expect(p.objects.map((o) => [o.action, o.after?.metadata.annotations?.[AUTHORIZED_ANNOTATION], o.reason])).toEqual([
      ['update', 'd', 'Secret fleet-default/c-audit-webhook is no longer read by this cluster\'s webhook kubeconfig: "c" removed from rke.cattle.io/object-authorized-for-clusters, its key "audit-webhook.yaml" removed (no cluster reads it)'],
    ]);
  });

  it('another name: a new Secret before the save, the old one released after it', () => {
    const { self, objects } = onCluster();
    const p = edit(self, objects, (s) => {
      s.webhook.file.name = 'c-siem';
    });

    expect(p.objects.map((o) => [o.action, o.phase, o.name])).toEqual([['create', 'before', 'c-siem'], ['delete', 'after', 'c-audit-webhook']]);
    expect(JSON.stringify(files(p.cluster))).not.toContain('c-audit-webhook');
  });

  it('the policy moves out of a Secret the webhook then takes: the release keeps what the webhook wrote', () => {
    const self = cluster('c', ['audit-policy-file=/etc/rancher/rke2/audit-policy.yaml'], [entry('shared-name', 'audit-policy.yaml', '/etc/rancher/rke2/audit-policy.yaml')]);

    delete ((self.spec as { rkeConfig: { machineGlobalConfig: Record<string, unknown> } }).rkeConfig.machineGlobalConfig)['audit-policy-file'];
    const objects = [secret('shared-name', { 'audit-policy.yaml': CIS }, { [AUTHORIZED_ANNOTATION]: 'c' }, OURS)];
    const p = edit(self, objects, (s) => {
      s.method = 'inline';
      turnOn(s);
      s.webhook.file.name = 'shared-name';
    });
    const saved = apply(p, objects);

    expect(p.errors).toEqual([]);
    expect(p.objects.map((o) => [o.action, o.phase, Object.keys(o.after?.data || {})])).toEqual([['update', 'before', ['audit-policy.yaml', 'audit-webhook.yaml']], ['update', 'after', ['audit-webhook.yaml']]]);
    expect(readSettings(saved.cluster, saved.objects).settings.webhook.kubeconfig).toBe(KUBECONFIG);
  });
});

describe('a Secret that holds credentials is never shared by accident: refused with a free name', () => {
  const other = cluster('d', [`audit-webhook-config-file=${ RKE2_PATH }`], [entry('taken', 'audit-webhook.yaml', RKE2_PATH)]);

  it.each([
    ['the policy\'s own Secret', [], (s: AuditSettings) => {
      s.method = 'secret';
      s.file.name = 'c-shared';
      s.webhook.file.name = 'c-shared';
    }, 'Secret fleet-default/c-shared also holds the policy'],
    ['a Secret this extension did not make (even one authorized for this cluster)', [webhookSecret('hand-made', 'x', 'c', {})], (s: AuditSettings) => {
      s.webhook.file.name = 'hand-made';
    }, 'Secret fleet-default/hand-made was not made by this extension'],
    ['a Secret authorized for another cluster as well', [webhookSecret('wide', 'x', 'c,d')], (s: AuditSettings) => {
      s.webhook.file.name = 'wide';
    }, 'Secret fleet-default/wide is authorized for "d" as well'],
    ['a Secret another cluster names for its files (not created yet)', [], (s: AuditSettings) => {
      s.webhook.file.name = 'taken';
    }, 'Secret fleet-default/taken is named for 1 other file of d'],
  ] as [string, KubeObject[], (s: AuditSettings) => void, string][])('%s', (_what, objects, change, message) => {
    const p = edit(cluster('c'), objects, (s) => {
      turnOn(s);
      change(s);
    }, [other]);

    expect(messages(p.errors)).toEqual([`error webhook.file.name: ${ message }: the webhook kubeconfig holds credentials and gets a Secret of its own, made by this extension for this cluster only. Choose another name: "c-audit-webhook" is free.`]);
    expect(p.errors[0].suggestion).toBe('c-audit-webhook');
    expect(p.objects).toEqual([]);
  });
});

describe('checks before anything is written', () => {
  it.each([
    ['a kubeconfig kube-apiserver would not load', (s: AuditSettings) => {
      s.webhook.kubeconfig = 'current-context: prod\n';
    }, ['error webhook.kubeconfig: webhook kubeconfig: invalid configuration: context was not found for specified context: prod', 'error webhook.server: webhook kubeconfig: invalid configuration: cluster has no server defined']],
    ['nothing filled in yet', (s: AuditSettings) => {
      s.webhook.kubeconfig = '';
    }, ['error webhook.kubeconfig: webhook kubeconfig: invalid configuration: no configuration has been provided, try setting KUBERNETES_MASTER environment variable']],
    ['a flag kube-apiserver refuses', (s: AuditSettings) => {
      s.webhook.flags = { batchMaxSize: '0' };
    }, ['error webhook.batchMaxSize: invalid audit batch webhook max batch size 0, must be a positive number']],
    ['the policy\'s path', (s: AuditSettings) => {
      s.method = 'secret';
      s.webhook.file.path = s.file.path;
    }, ['error webhook.file.path: /etc/rancher/rke2/audit-policy.yaml is already written by machineSelectorFiles[0] (Secret c-audit-policy, key "audit-policy.yaml"): the webhook kubeconfig would overwrite that file (or be overwritten by it)']],
    ['a path Rancher writes itself', (s: AuditSettings) => {
      s.webhook.file.path = '/etc/rancher/rke2/config.yaml.d/50-rancher.yaml';
    }, ['error webhook.file.path: /etc/rancher/rke2/config.yaml.d/50-rancher.yaml is already written by Rancher itself: the webhook kubeconfig would overwrite that file (or be overwritten by it)']],
    ['machines that are not control-plane machines', (s: AuditSettings) => {
      s.webhook.file.nodeSelector = { 'rke.cattle.io/control-plane-role': 'false' };
    }, ['error webhook.file.nodeSelector: matchLabels sets rke.cattle.io/control-plane-role="false", but Rancher sets that label only to "true" (on control-plane machines): kube-apiserver would never get the webhook kubeconfig']],
    ['a Secret name Kubernetes refuses', (s: AuditSettings) => {
      s.webhook.file.name = 'Audit_Webhook';
    }, ['error webhook.file.name: Secret name "Audit_Webhook": a DNS-1123 subdomain must consist of lower case alphanumeric characters, \'-\' or \'.\', and must start and end with an alphanumeric character (e.g. \'example.com\', regex used for validation is \'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\')']],
  ] as [string, (s: AuditSettings) => void, string[]][])('%s', (_what, change, errors) => {
    const p = edit(cluster('c'), [], (s) => {
      turnOn(s);
      change(s);
    });

    expect(messages(p.errors)).toEqual(errors);
    expect(p.objects).toEqual([]);
    expect(p.clusterPaths).toEqual([]);
  });

  it('RKE1 is not offered the webhook', () => {
    const self = rke1Cluster({ enabled: true });
    const settings = clone(readSettings(self, []).settings);

    turnOn(settings);
    expect(messages(plan(self, [], settings).errors)).toEqual(['error webhook: the audit webhook is not offered for RKE1 clusters here']);
  });
});

describe('readSettings: the webhook read back', () => {
  type Row = [what: string, args: string[], entries: unknown[], objects: KubeObject[], webhook: Partial<AuditSettings['webhook']>, problems: string[]];
  const AT = 'spec.rkeConfig.machineGlobalConfig.kube-apiserver-arg';
  const delivered = [entry('w', 'k', '/etc/w.yaml', { hash: fileHash(KUBECONFIG) })];
  const rows: Row[] = [
    ['no webhook', [], [], [], { enabled: false, kubeconfig: '', flags: {} }, []],
    ['delivered by a Secret of this extension', ['audit-webhook-config-file=/etc/w.yaml', 'audit-webhook-truncate-enabled=true'], delivered, [secret('w', { k: KUBECONFIG }, { [AUTHORIZED_ANNOTATION]: 'c' }, OURS)], {
      enabled: true, kubeconfig: KUBECONFIG, flags: { truncateEnabled: 'true' }, file: { name: 'w', key: 'k', path: '/etc/w.yaml', nodeSelector: CP, hash: true, permissions: '0600' }
    }, []],
    ['hand-typed flags: read when kube-apiserver takes them as written, else kept as typed', ['audit-webhook-batch-max-size=0400', 'audit-webhook-truncate-enabled', 'audit-webhook-mode=fast', 'audit-webhook-batch-max-wait=30s', 'audit-webhook-batch-initial-backoff=5s'], [], [], { enabled: false, flags: { truncateEnabled: 'true', batchMaxWait: '30s' } }, [
      `error ${ AT }[2]: audit-webhook-mode=fast: invalid audit webhook mode fast, allowed modes are "batch,blocking,blocking-strict"; kept as typed`,
      `error ${ AT }[0]: audit-webhook-batch-max-size=0400: kube-apiserver reads a leading 0 as octal; write it as plain decimal digits; kept as typed`,
      `warning ${ AT }[4]: audit-webhook-batch-initial-backoff=5s: Deprecated, use --audit-webhook-initial-backoff instead (kube-apiserver); kept as it is`,
      `warning ${ AT }: audit-webhook-* args are set but no audit-webhook-config-file: kube-apiserver sends no events to a webhook`,
    ]],
    ['a config file no item delivers: external, kept', ['audit-webhook-config-file=/etc/custom/webhook.yaml'], [], [], { enabled: true, external: '/etc/custom/webhook.yaml', kubeconfig: '' }, [
      `warning ${ AT }[0]: audit-webhook-config-file=/etc/custom/webhook.yaml, but no machineSelectorFiles entry delivers /etc/custom/webhook.yaml from a Secret: the kubeconfig is put on the nodes some other way (external), and this tab keeps it as it is`,
    ]],
    ['a config file a ConfigMap delivers: external, kept', ['audit-webhook-config-file=/etc/w.yaml'], [entry('cm', 'k', '/etc/w.yaml', {}, 'configMap')], [], { enabled: true, external: '/etc/w.yaml' }, [
      `warning ${ AT }[0]: audit-webhook-config-file=/etc/w.yaml, but no machineSelectorFiles entry delivers /etc/w.yaml from a Secret: the kubeconfig is put on the nodes some other way (external), and this tab keeps it as it is`,
    ]],
    ['the Secret is missing', ['audit-webhook-config-file=/etc/w.yaml'], delivered, [], { enabled: true, kubeconfig: '' }, [
      'error spec.rkeConfig.machineSelectorFiles[0]: Secret fleet-default/w was not found: Rancher cannot deliver the webhook kubeconfig file',
    ]],
    ['the Secret is not authorized for this cluster, and its hash is stale', ['audit-webhook-config-file=/etc/w.yaml'], delivered, [secret('w', { k: OTHER_KUBECONFIG }, {}, OURS)], { enabled: true, kubeconfig: OTHER_KUBECONFIG }, [
      `error spec.rkeConfig.machineSelectorFiles[0].hash: the item's hash ${ fileHash(KUBECONFIG) } does not match Secret fleet-default/w's "k" (${ fileHash(OTHER_KUBECONFIG) }): Rancher's planner refuses the file ("does not contain the expected content"); Save writes the matching hash`,
      'error spec.rkeConfig.machineSelectorFiles[0]: Secret fleet-default/w is not authorized for this cluster: its annotation rke.cattle.io/object-authorized-for-clusters does not list "c", so Rancher will not deliver it',
    ]],
    ['the Secret is authorized for other clusters too', ['audit-webhook-config-file=/etc/w.yaml'], delivered, [secret('w', { k: KUBECONFIG }, { [AUTHORIZED_ANNOTATION]: 'd,c,e' }, OURS)], { enabled: true, kubeconfig: KUBECONFIG }, [
      'warning spec.rkeConfig.machineSelectorFiles[0]: Secret fleet-default/w holds the webhook kubeconfig and is authorized for "d", "e" as well: those clusters can have its credentials delivered to their machines',
    ]],
    ['an audit-webhook arg this tab does not manage', ['audit-webhook-version=audit.k8s.io/v1'], [], [], { enabled: false }, [
      `info ${ AT }[0]: audit-webhook-version=audit.k8s.io/v1: not managed by this tab; kept as it is`,
    ]],
  ];

  it.each(rows)('%s', (_what, typed, entries, objects, webhook, problems) => {
    const read = readSettings(cluster('c', typed, entries), objects);

    expect(read.settings.webhook).toMatchObject(webhook);
    expect(messages(read.problems)).toEqual(problems);
  });

  it.each(rows)('plan(readSettings(x)) writes nothing: %s', (_what, typed, entries, objects) => {
    const self = cluster('c', typed, entries);
    const p = plan(self, objects, readSettings(self, objects).settings, { clusters: [self] });

    const withoutHashes = (spec: unknown) => JSON.parse(JSON.stringify(spec), (k, v) => (k === 'hash' ? undefined : v));

    // the one fix a plain Save makes here: a stale hash is written anew
    expect(p.objects).toEqual([]);
    expect(withoutHashes(p.cluster.spec)).toEqual(withoutHashes(self.spec));
  });

  it('an external webhook keeps its file; its flags are still edited', () => {
    const self = cluster('c', ['audit-webhook-config-file=/etc/custom/webhook.yaml', 'audit-webhook-mode=blocking']);
    const p = edit(self, [], (s) => {
      s.webhook.flags.mode = 'batch';
    });

    expect(args(p.cluster)).toEqual(['audit-webhook-config-file=/etc/custom/webhook.yaml', 'audit-webhook-mode=batch']);
    expect(p.objects).toEqual([]);
  });
});
