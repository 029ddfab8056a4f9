/**
 * "Write a log file" (LogSettings.off): the webhook backend alone. plan() writes no audit-log-* arg without a log
 * file (RKE2's inline method: `audit-log-path=`, which overrides the path RKE2 adds, rancher/rke2
 * pkg/executor/staticpod/staticpod.go), removes the ones there, refuses a configuration with no backend at all,
 * and readSettings reads the choice back (plan(readSettings(x)) is a no-op).
 */
import {
  AuditSettings, clone, Distro, editKubeconfig, getPath, KubeObject, Method, PATHS, Plan, plan, readSettings
} from '@pkg/delivery';
import { policyToYaml, presetPolicy, Policy } from '@pkg/policy';
import {
  applyPlan, k3sCluster, rke1Cluster, rke2Cluster
} from '../../support/clusters';

const CIS = policyToYaml(presetPolicy('cis-minimal') as Policy);
const KUBECONFIG = editKubeconfig('', { server: 'https://siem.example.com:8443/audit', auth: 'token', token: 't0ken' });

const args = (c: KubeObject) => (getPath(c, PATHS.apiserverArgs) as string[] | undefined) || [];
const logArgs = (c: KubeObject) => args(c).filter((a) => a.startsWith('audit-log-'));
const codes = (p: Plan) => [...p.errors, ...p.warnings].map((e) => `${ e.severity } ${ e.path } ${ e.code }`);

/** A cluster of the distro with the given kube-apiserver args (and an inline policy when given). */
function cluster(distro: Exclude<Distro, 'rke1'>, extraArgs: string[] = [], inline?: string): KubeObject {
  const c = distro === 'rke2' ? rke2Cluster('c1') : k3sCluster('c1');
  const global = (c.spec as { rkeConfig: { machineGlobalConfig: Record<string, unknown> } }).rkeConfig.machineGlobalConfig;

  global['kube-apiserver-arg'] = extraArgs;
  if (inline !== undefined) {
    global['audit-policy-file'] = inline;
  }

  return c;
}

const apply = applyPlan;

/** The settings read off the cluster, changed by `edit`. */
function edited(c: KubeObject, objects: KubeObject[], edit: (s: AuditSettings) => void): AuditSettings {
  const s = clone(readSettings(c, objects).settings);

  edit(s);

  return s;
}

function withWebhook(s: AuditSettings): void {
  s.webhook = { ...s.webhook, enabled: true, kubeconfig: KUBECONFIG };
}

describe('a new configuration without a log file', () => {
  type Row = [distro: Exclude<Distro, 'rke1'>, method: Method, logArgs: string[]];
  const rows: Row[] = [
    // RKE2 adds its own log path whenever its audit-policy-file is set (inline, and any method under its CIS profile)
    ['rke2', 'inline', ['audit-log-path=']],
    ['rke2', 'secret', ['audit-log-path=']],
    ['rke2', 'configmap', ['audit-log-path=']],
    ['k3s', 'secret', []],
    ['k3s', 'configmap', []],
  ];

  it.each(rows)('%s / %s with the webhook: writes %j of the log args, reads back as off, plans again as a no-op', (distro, method, want) => {
    const c = cluster(distro);
    const p = plan(c, [], edited(c, [], (s) => {
      Object.assign(s, { enabled: true, method, policyYaml: CIS });
      s.log = { off: true };
      withWebhook(s);
    }));

    expect(p.errors).toEqual([]);
    expect(logArgs(p.cluster)).toEqual(want);
    expect(args(p.cluster)).toContain(`audit-webhook-config-file=/etc/rancher/${ distro }/audit-webhook.yaml`.replace('/etc/rancher/k3s/', '/var/lib/rancher/k3s/server/'));
    const after = apply(p, []);
    const read = readSettings(after.cluster, after.objects);

    expect(read.settings.log.off).toBe(true);
    expect(plan(after.cluster, after.objects, read.settings).noop).toBe(true);
  });

  it.each(rows)('%s / %s without the webhook: refused, nothing written', (distro, method) => {
    const c = cluster(distro);
    const p = plan(c, [], edited(c, [], (s) => {
      Object.assign(s, { enabled: true, method, policyYaml: CIS });
      s.log = { off: true };
    }));

    expect(codes(p)).toContain('error log.off delivery.noAuditBackend');
    expect(p.clusterPaths).toEqual([]);
    expect(p.objects).toEqual([]);
  });

  it('RKE1 offers no webhook: a log file is needed', () => {
    const c = rke1Cluster();
    const p = plan(c, [], edited(c, [], (s) => {
      s.enabled = true;
      s.log = { ...s.log, off: true };
    }));

    expect(codes(p)).toEqual(['error log.off delivery.noAuditBackend']);
    expect(p.errors[0].message).toContain('RKE1 offers only the log file');
  });
});

describe('turning the log file off and on again on a configured cluster', () => {
  type Row = [what: string, distro: Exclude<Distro, 'rke1'>, inline: string | undefined, before: string[], off: string[], on: string[]];
  const rows: Row[] = [
    [
      'RKE2 inline, RKE2\'s defaults', 'rke2', CIS,
      ['v=2', 'profiling=false'],
      ['v=2', 'profiling=false', 'audit-log-path='],
      ['v=2', 'profiling=false'],
    ],
    [
      'RKE2 inline, a hand-set max age', 'rke2', CIS,
      ['v=2', 'audit-log-maxage=40', 'profiling=false'],
      ['v=2', 'audit-log-path=', 'profiling=false'],
      ['v=2', 'profiling=false'],
    ],
    [
      'K3s, the policy and the log between other args', 'k3s', undefined,
      ['v=2', 'audit-policy-file=/etc/external.yaml', 'audit-log-path=/var/log/a.log', 'audit-log-maxage=30', 'profiling=false', 'audit-log-format=legacy'],
      ['v=2', 'audit-policy-file=/etc/external.yaml', 'profiling=false'],
      ['v=2', 'audit-policy-file=/etc/external.yaml', 'audit-log-path=/var/lib/rancher/k3s/server/logs/audit.log', 'audit-log-maxage=30', 'audit-log-maxbackup=10', 'audit-log-maxsize=100', 'profiling=false'],
    ],
  ];

  it.each(rows)('%s: off removes the log args and keeps the others in place; on again (the values removed) writes the defaults the distro does not add', (_, distro, inline, before, off, on) => {
    const c = cluster(distro, before, inline);
    const pOff = plan(c, [], edited(c, [], (s) => {
      s.log = { ...s.log, off: true };
      withWebhook(s);
    }));

    expect(pOff.errors).toEqual([]);
    expect(args(pOff.cluster).filter((a) => !a.startsWith('audit-webhook-'))).toEqual(off);
    const saved = apply(pOff, []);
    const read = readSettings(saved.cluster, saved.objects).settings;

    expect(read.log.off).toBe(true);
    const pOn = plan(saved.cluster, saved.objects, edited(saved.cluster, saved.objects, (s) => {
      delete s.log.off;
    }));

    expect(pOn.errors).toEqual([]);
    expect(args(pOn.cluster).filter((a) => !a.startsWith('audit-webhook-'))).toEqual(on);
  });

  it('the log file turned on for a policy given through kube-apiserver-arg writes the defaults (nothing adds them)', () => {
    const c = cluster('k3s', ['v=2', 'audit-policy-file=/etc/external.yaml']);
    const p = plan(c, [], edited(c, [], (s) => {
      delete s.log.off;
    }));

    expect(p.errors).toEqual([]);
    expect(args(p.cluster)).toEqual([
      'v=2', 'audit-policy-file=/etc/external.yaml', 'audit-log-path=/var/lib/rancher/k3s/server/logs/audit.log', 'audit-log-maxage=30', 'audit-log-maxbackup=10', 'audit-log-maxsize=100',
    ]);
  });
});

describe('readSettings: is a log file written?', () => {
  type Row = [what: string, distro: Exclude<Distro, 'rke1'>, args: string[], inline: string | undefined, enabled: boolean, off: boolean];
  const rows: Row[] = [
    ['RKE2 inline, no audit-log-path: RKE2 adds its own', 'rke2', [], CIS, true, false],
    ['RKE2 inline, audit-log-path= (empty)', 'rke2', ['audit-log-path='], CIS, true, true],
    ['RKE2 inline, a path', 'rke2', ['audit-log-path=/var/log/a.log'], CIS, true, false],
    ['RKE2 policy arg, no audit-log-path: nothing adds one', 'rke2', ['audit-policy-file=/etc/external.yaml'], undefined, true, true],
    ['K3s policy arg and a path', 'k3s', ['audit-policy-file=/etc/external.yaml', 'audit-log-path=-'], undefined, true, false],
    ['K3s policy arg, audit-log-path= (empty)', 'k3s', ['audit-policy-file=/etc/external.yaml', 'audit-log-path='], undefined, true, true],
    ['K3s policy arg, no audit-log-path', 'k3s', ['audit-policy-file=/etc/external.yaml'], undefined, true, true],
    ['audit off, audit-log-path= (empty): turning audit on starts with a log file', 'rke2', ['audit-log-path='], undefined, false, false],
  ];

  it.each(rows)('%s', (_, distro, list, inline, enabled, off) => {
    const { settings } = readSettings(cluster(distro, list, inline));

    expect(settings.enabled).toBe(enabled);
    expect(!!settings.log.off).toBe(off);
  });

  it('a cluster that has no backend already is warned about, and an unrelated edit is not refused', () => {
    const c = cluster('k3s', ['audit-policy-file=/etc/external.yaml']);

    expect(codes(plan(c, [], readSettings(c).settings))).toEqual(['warning log.off delivery.noAuditBackend']);
    const p = plan(c, [], edited(c, [], (s) => {
      s.external = '/etc/other.yaml';
    }));

    expect(p.errors).toEqual([]);
    expect(args(p.cluster)).toEqual(['audit-policy-file=/etc/other.yaml']);
  });
});
