/**
 * The CLI's webhook: `check-webhook KUBECONFIG` (exit 0 usable, 1 not, 2 unreadable or misused) and `render
 * --webhook-config KUBECONFIG [--webhook-mode M]` printing the Secret, the machineSelectorFiles item and the args.
 * Nothing printed on stderr ever holds the credentials.
 */
import { readFileSync } from 'fs';
import { join } from 'path';
import { parseAllDocuments } from 'yaml';
import { editKubeconfig, fileHash } from '@pkg/delivery';
import {
  bin, cli, POLICIES, ROOT, tempDir, writeFile
} from './run-cli';

const tmp = tempDir();
const WEBHOOK = join(ROOT, 'tests/fixtures/webhook');
const CA = readFileSync(join(WEBHOOK, 'ca.pem'), 'utf8');
const TOKEN = 'cli-s3cret-t0ken';
const KUBECONFIG = editKubeconfig('', { server: 'https://siem.example.com:8443/audit', ca: CA, auth: 'token', token: TOKEN });
const good = writeFile(tmp, 'webhook.yaml', KUBECONFIG);
const policy = join(POLICIES, 'rke1-default.yaml');

describe('check-webhook', () => {
  it.each([
    ['a kubeconfig with its CA and a token', good, 0, [], [], `${ good }: usable (server https://siem.example.com:8443/audit, authentication: token)\n`],
    ['Falco\'s example (http)', join(WEBHOOK, 'falco-webhook-config.yaml.in'), 0, [], ['server'], undefined],
    ['no current context', writeFile(tmp, 'ctx.yaml', 'current-context: prod\n'), 1, ['kubeconfig', 'server'], [], undefined],
    ['a CA file on the node', writeFile(tmp, 'cafile.yaml', KUBECONFIG.replace(/certificate-authority-data: \S+/, 'certificate-authority: /etc/ssl/ca.pem')), 1, ['ca'], [], undefined],
  ] as [string, string, number, string[], string[], string | undefined][])('%s -> exit %d', async(_what, file, code, errors, warnings, text) => {
    const json = await cli(['check-webhook', file, '--json']);
    const parsed = JSON.parse(json.out);

    expect(json.code).toBe(code);
    expect(Object.keys(parsed)).toEqual(['usable', 'errors', 'warnings']);
    expect({ usable: parsed.usable, errors: parsed.errors.map((e: { field: string }) => e.field), warnings: parsed.warnings.map((w: { field: string }) => w.field) }).toEqual({ usable: code === 0, errors, warnings });
    if (text) {
      expect((await cli(['check-webhook', file])).out).toBe(text);
    }
  });

  it('a refused kubeconfig: one line on stderr with kube-apiserver\'s reason, exit 1; the credentials never printed', async() => {
    const got = await cli(['check-webhook', '-'], KUBECONFIG.replace('users:\n', 'users:\n- name: audit-webhook\n  user: {token: x}\n'));

    expect(got.code).toBe(1);
    expect(got.err).toBe('audit-policy: standard input: kube-apiserver would not start with this webhook kubeconfig: error converting *[]NamedAuthInfo into *map[string]*api.AuthInfo: duplicate name "audit-webhook" in list\n');
    expect(got.out + got.err).not.toContain(TOKEN);
  });

  it.each([
    [['check-webhook'], /usage: audit-policy check-webhook KUBECONFIG \[--json\]/],
    [['check-webhook', join(tmp, 'missing.yaml')], /missing\.yaml: cannot read: no such file/],
    [['check-webhook', tmp], /is a directory, not a file/],
  ])('%j: exit 2', async(args, message) => {
    const got = await cli(args);

    expect(got.code).toBe(2);
    expect(got.err).toMatch(message);
  });

  it('the compiled bin answers the same', async() => {
    const got = await bin(['check-webhook', '-'], 'current-context: prod\n');

    expect(got.code).toBe(1);
    expect(got.out).toBe('error: kubeconfig: invalid configuration: context was not found for specified context: prod\nerror: server: invalid configuration: cluster has no server defined\n-: NOT usable\n');
  });
});

describe('render --webhook-config', () => {
  it.each([
    ['rke2', 'inline', '/etc/rancher/rke2/audit-webhook.yaml'],
    ['k3s', 'secret', '/var/lib/rancher/k3s/server/audit-webhook.yaml'],
  ])('%s (%s): the webhook Secret, its item and the args', async(distro, method, path) => {
    const got = await cli(['render', policy, '--distro', distro, '--method', method, '--cluster', 'prod-1', '--webhook-config', good, '--webhook-mode', 'blocking']);
    const docs = parseAllDocuments(got.out).map((d) => d.toJS());
    const webhookSecret = docs.find((d) => d.metadata.name === 'prod-1-audit-webhook');
    const cluster = docs[docs.length - 1];

    expect(got.code).toBe(0);
    expect(got.err).toBe('audit-policy: warning: webhook.mode: blocking makes every request to the API server wait until its events are sent (a failed send is dropped, the request goes on)\naudit-policy: note: the Secret printed holds the webhook\'s credentials: apply it, do not commit it\n');
    expect(webhookSecret).toEqual({
      apiVersion: 'v1', kind: 'Secret', metadata: { name: 'prod-1-audit-webhook', namespace: 'fleet-default', labels: { 'app.kubernetes.io/managed-by': 'cluster-audit-log' }, annotations: { 'rke.cattle.io/object-authorized-for-clusters': 'prod-1' } }, data: { 'audit-webhook.yaml': Buffer.from(KUBECONFIG).toString('base64') },
    });
    expect(cluster.spec.rkeConfig.machineSelectorFiles).toContainEqual({
      fileSources: [{ secret: { name: 'prod-1-audit-webhook', items: [{ key: 'audit-webhook.yaml', path, permissions: '0600', hash: fileHash(KUBECONFIG) }] } }], machineLabelSelector: { matchLabels: { 'rke.cattle.io/control-plane-role': 'true' } },
    });
    expect(cluster.spec.rkeConfig.machineGlobalConfig['kube-apiserver-arg'].filter((a: string) => a.startsWith('audit-webhook'))).toEqual([`audit-webhook-config-file=${ path }`, 'audit-webhook-mode=blocking']);
  });

  it.each([
    ['a mode kube-apiserver does not know', ['--webhook-config', good, '--webhook-mode', 'async'], 2, 'audit-policy: --webhook-mode must be one of batch, blocking, blocking-strict\n'],
    ['a mode without a kubeconfig', ['--webhook-mode', 'batch'], 2, 'audit-policy: --webhook-mode needs --webhook-config KUBECONFIG\n'],
    ['the policy and the kubeconfig both on stdin', ['--webhook-config', '-'], 2, 'audit-policy: only one of POLICY, --cluster-file and --webhook-config can be - (standard input)\n'],
    ['a kubeconfig kube-apiserver refuses', ['--webhook-config', writeFile(tmp, 'bad.yaml', 'current-context: prod\n')], 1, 'audit-policy: webhook kubeconfig: invalid configuration: context was not found for specified context: prod; webhook kubeconfig: invalid configuration: cluster has no server defined\n'],
  ])('%s: exit %d', async(_what, extra, code, err) => {
    const got = await cli(['render', extra.includes('-') && extra[1] === '-' ? '-' : policy, '--distro', 'rke2', '--method', 'inline', '--cluster', 'c1', ...extra]);

    expect(got).toEqual(expect.objectContaining({ code, err, out: '' }));
  });

  it('RKE1 is not offered the webhook: exit 1', async() => {
    const got = await cli(['render', policy, '--distro', 'rke1', '--cluster', 'c-abc12', '--webhook-config', good]);

    expect(got.code).toBe(1);
    expect(got.err).toBe('audit-policy: the audit webhook is not offered for RKE1 clusters here\n');
  });
});
