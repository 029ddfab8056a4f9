/**
 * plan() refuses the names Kubernetes or Rancher would refuse, with apimachinery's messages (names.ts), each at
 * the path of the form's field that holds the value; nothing is written while one is there.
 */
import {
  AuditSettings, FileSettings, KubeObject, Method, plan, readSettings
} from '@pkg/delivery';
import { policyToYaml, presetPolicy, Policy } from '@pkg/policy';
import { k3sCluster, rke1Cluster, rke2Cluster } from '../../support/clusters';
import { english } from '../../support/english';

const CIS = policyToYaml(presetPolicy('cis-minimal') as Policy);
const LABEL = "a DNS-1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
const SUBDOMAIN = "a DNS-1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const KEY = "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')";
const QUALIFIED = "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
const VALUE = "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";

function settingsFor(cluster: KubeObject, method: Method, file: Partial<FileSettings> = {}, log: AuditSettings['log'] = {}): AuditSettings {
  const read = readSettings(cluster).settings;

  return {
    ...read, enabled: true, method, policyYaml: CIS, file: { ...read.file, ...file }, log
  };
}

function named(name: string): KubeObject {
  const cluster = k3sCluster('c1');

  cluster.metadata.name = name;

  return cluster;
}

describe('names and paths the Secret/ConfigMap methods write', () => {
  it.each([
    ['Secret name with a capital', 'secret', { name: 'Audit' }, 'file.name', `Secret name "Audit": ${ SUBDOMAIN }`],
    ['ConfigMap name of 254 characters', 'configmap', { name: 'a'.repeat(254) }, 'file.name', `ConfigMap name "${ 'a'.repeat(254) }": must be no more than 253 characters`],
    ['name with markup', 'secret', { name: '<h1>x</h1>' }, 'file.name', `Secret name "<h1>x</h1>": ${ SUBDOMAIN }`],
    ['key with a slash', 'secret', { key: 'a/b' }, 'file.key', `key "a/b": ${ KEY }`],
    ['key "..x"', 'configmap', { key: '..x' }, 'file.key', 'key "..x": must not start with \'..\''],
    ['relative file path', 'secret', { path: 'etc/audit.yaml' }, 'file.path', 'file path "etc/audit.yaml": must be an absolute path'],
    ['file path with ..', 'secret', { path: '/etc/../audit.yaml' }, 'file.path', 'file path "/etc/../audit.yaml": must be a clean path (no \'//\', \'/./\', \'/../\' or trailing \'/\'): "/audit.yaml"'],
    ['file path of two lines', 'secret', { path: '/a\n/b' }, 'file.path', 'file path "/a\n/b": must be one line, without NUL characters'],
    ['selector key with a space', 'secret', { nodeSelector: { 'a b': 'true' } }, 'file.nodeSelector', `node label key "a b": ${ QUALIFIED }`],
    ['selector key with an empty prefix', 'configmap', { nodeSelector: { '/x': 'true' } }, 'file.nodeSelector', 'node label key "/x": prefix part must be non-empty'],
    ['selector value with markup', 'secret', { nodeSelector: { role: '<b>' } }, 'file.nodeSelector', `node label value "<b>" (of "role"): ${ VALUE }`],
    ['selector value of 64 characters', 'secret', { nodeSelector: { role: 'v'.repeat(64) } }, 'file.nodeSelector', `node label value "${ 'v'.repeat(64) }" (of "role"): must be no more than 63 characters`],
  ] as [string, Method, Partial<FileSettings>, string, string][])('%s', (_name, method, file, path, message) => {
    const cluster = k3sCluster('c1');
    const p = plan(cluster, [], settingsFor(cluster, method, file));

    expect(p.errors.map(english)).toEqual([{ path, message, severity: 'error' }]);
    expect(p.objects).toEqual([]);
    expect(p.clusterPaths).toEqual([]);
  });

  it.each([
    ['the control-plane label', { 'rke.cattle.io/control-plane-role': 'true' }],
    ['an empty value', { 'node-role.kubernetes.io/audit': '' }],
    ['no selector at all', {}],
  ])('valid: %s', (_name, nodeSelector) => {
    const cluster = k3sCluster('c1');

    expect(plan(cluster, [], settingsFor(cluster, 'secret', { nodeSelector })).errors).toEqual([]);
  });
});

describe('the cluster name, written into the authorization annotation', () => {
  it.each([
    ['c,victim', 'secret', [`the cluster name "c,victim" (written to rke.cattle.io/object-authorized-for-clusters): ${ LABEL }`]],
    ['C1', 'configmap', [`the cluster name "C1" (written to rke.cattle.io/object-authorized-for-clusters): ${ LABEL }`]],
    ['a'.repeat(64), 'secret', [`the cluster name "${ 'a'.repeat(64) }" (written to rke.cattle.io/object-authorized-for-clusters): must be no more than 63 characters`]],
    ['', 'secret', ['the cluster needs a name before a Secret or ConfigMap can be authorized for it']],
    ['c,victim', 'inline', []],
  ] as [string, Method, string[]][])('%j with %s', (name, method, messages) => {
    const cluster = method === 'inline' ? Object.assign(rke2Cluster('x'), { metadata: { name } }) : named(name);
    const p = plan(cluster, [], settingsFor(cluster, method, { name: 'policy' }));

    expect(p.errors.map(english)).toEqual(messages.map((message) => ({ path: 'metadata.name', message, severity: 'error' })));
  });
});

describe('the log path', () => {
  it.each([
    ['rke2', '-', []],
    ['rke2', '/var/log/audit.log', []],
    ['rke2', 'audit.log', ['log path "audit.log" (or "-" for standard output): must be an absolute path']],
    ['k3s', '/var/log//audit.log', ['log path "/var/log//audit.log" (or "-" for standard output): must be a clean path (no \'//\', \'/./\', \'/../\' or trailing \'/\'): "/var/log/audit.log"']],
    ['rke1', '/', ['log path "/" (or "-" for standard output): must not be \'/\'']],
  ])('%s: %j', (distro, path, messages) => {
    const cluster = distro === 'rke1' ? rke1Cluster() : distro === 'k3s' ? k3sCluster('c1') : rke2Cluster('c1');
    const method: Method = distro === 'rke1' ? 'rke1' : distro === 'k3s' ? 'secret' : 'inline';
    const p = plan(cluster, [], settingsFor(cluster, method, {}, { ...readSettings(cluster).settings.log, path }));

    expect(p.errors.map(english)).toEqual(messages.map((message) => ({ path: 'log.path', message, severity: 'error' })));
  });
});

it('a disabled audit log checks nothing: it writes no name', () => {
  const cluster = named('C,1');

  expect(plan(cluster, [], { ...settingsFor(cluster, 'secret', { name: 'Bad', path: 'x' }, { maxAge: '-1' }), enabled: false }).errors).toEqual([]);
});
