/**
 * The audit-policy CLI, driven in-process through `run` (the same function the binary calls), plus one
 * spawned run of the compiled bin per exit code to prove the wiring.
 */
import { spawnSync } from 'child_process';
import { readFileSync, statSync } from 'fs';
import { join } from 'path';
import {
  bin, BIN, cli, EVENTS, POLICIES, ROOT, tempDir, writeFile
} from './run-cli';

const tmp = tempDir();
const file = (name: string, content: string | Buffer) => writeFile(tmp, name, content);

describe('check', () => {
  it.each([
    ['k8s-docs-example.yaml', 0, true, 0],
    ['datadog-docs-policy.yaml', 0, true, 1],
    ['falco-examples-audit-policy.yaml', 1, false, 0],
  ])('%s -> exit %d, loadable %s, %d warning(s)', async(name, code, loadable, warnings) => {
    const got = await cli(['check', join(POLICIES, name), '--json']);
    const json = JSON.parse(got.out);

    expect(got.code).toBe(code);
    expect(json.loadable).toBe(loadable);
    expect(json.warnings).toHaveLength(warnings);
    expect(Object.keys(json)).toEqual(['loadable', 'errors', 'warnings']);
    for (const d of [...json.errors, ...json.warnings]) {
      expect(Object.keys(d)).toEqual(['path', 'message']);
    }
  });

  it('reads stdin for -', async() => {
    const got = await cli(['check', '-', '--json'], 'apiVersion: audit.k8s.io/v1\nkind: Policy\nrules:\n- level: None\n');

    expect(got.code).toBe(0);
    expect(JSON.parse(got.out).loadable).toBe(true);
  });
});

describe('bad input: one clear line on stderr, exit 1 or 2, no stack trace', () => {
  it.each([
    ['no such file', () => ['check', join(tmp, 'missing.yaml')], 2, /missing\.yaml: cannot read: no such file/],
    ['a directory', () => ['check', tmp], 2, /is a directory/],
    ['binary data', () => ['check', file('bin', Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 1, 2, 0xff]))], 1, /bin: not YAML or JSON text: yaml: control characters are not allowed at byte 0/],
    ['a 50 MB file', () => ['check', file('big.yaml', Buffer.alloc(50 * 1024 * 1024, 'a'))], 2, /50\.0 MiB is larger than 4\.0 MiB/],
    ['garbage text', () => ['check', file('garbage.txt', 'this is not a policy\n')], 1, /not loadable: failed decoding/],
    ['a Secret manifest', () => ['check', file('secret.yaml', 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: audit\ndata:\n  policy: YQ==\n')], 1, /this is a Secret manifest/],
    ['no command', () => [], 2, /^audit-policy: usage: audit-policy <command> \[options\]; commands: check, lint, match, estimate, render/],
    ['unknown command', () => ['explain'], 2, /unknown command "explain"/],
    ['a name from Object.prototype as command', () => ['constructor'], 2, /unknown command "constructor"/],
    ['missing argument', () => ['check'], 2, /usage: audit-policy check FILE/],
    ['both inputs on stdin', () => ['match', '-', '-'], 2, /only one of FILE and REQUESTS/],
    ['policy and cluster file both on stdin', () => ['render', '-', '--distro', 'rke2', '--method', 'inline', '--cluster', 'c', '--cluster-file', '-'], 2, /only one of POLICY, --cluster-file and --webhook-config can be -/],
    ['match with a policy that does not load', () => ['match', join(POLICIES, 'falco-examples-audit-policy.yaml'), join(EVENTS, 'falco-k8s-audit-trace-files.jsonl')], 1, /kube-apiserver would not load this policy/],
    ['estimate with a log that is not audit events', () => ['estimate', join(POLICIES, 'rke1-default.yaml'), file('notlog.txt', 'hello\nworld\n')], 1, /no audit events found/],
  ] as [string, () => string[], number, RegExp][])('%s', async(_name, args, code, message) => {
    const got = await cli(args());

    expect(got.code).toBe(code);
    expect(got.err).toMatch(message);
    expect(got.err).not.toMatch(/\n\s+at /);
    expect(got.err.split('\n')).toHaveLength(2);
  });
});

describe('lint', () => {
  it.each([
    ['rke1-default.yaml', 0, []],
    ['k8s-docs-example.yaml', 1, ['error sensitive-body rules[5].level']],
    ['datadog-docs-policy.yaml', 0, ['warning dropped-field rules[3].resources[0].verbs']],
  ])('%s -> exit %d', async(name, code, findings) => {
    const got = await cli(['lint', join(POLICIES, name), '--json']);

    expect(got.code).toBe(code);
    expect(JSON.parse(got.out).findings.map((f: Record<string, string>) => `${ f.severity } ${ f.id } ${ f.path }`)).toEqual(findings);
  });
});

describe('match', () => {
  it('one output line per input line, in order; events and attributes both accepted', async() => {
    const requests = file('req.jsonl', [
      '{"user":"system:kube-proxy","groups":[],"verb":"watch","namespace":"","apiGroup":"","apiVersion":"v1","resource":"endpoints","subresource":"","name":"","path":"","resourceRequest":true}',
      '{"user":null,"groups":[],"verb":"get","path":"/healthz/etcd","resourceRequest":false}',
      '{"kind":"Event","verb":"get","requestURI":"/api/v1/namespaces/a/secrets/s","user":{"username":"u"},"objectRef":{"resource":"secrets","namespace":"a","name":"s","apiVersion":"v1"}}',
      '{"user":"u","verb":"get","resource":"pods","namespace":"a","resourceRequest":true}',
      'not json',
      '{"user":5,"verb":"get"}',
    ].join('\n'));
    const got = await cli(['match', join(POLICIES, 'gke-gce-configure-helper.yaml'), requests, '--json']);

    expect(got.out.trim().split('\n').map((l) => JSON.parse(l))).toEqual([
      {
        level: 'None', omitStages: [], omitManagedFields: false, rule: 0
      },
      {
        level: 'None', omitStages: [], omitManagedFields: false, rule: 8
      },
      {
        level: 'Metadata', omitStages: ['RequestReceived'], omitManagedFields: false, rule: 13
      },
      {
        level: 'Request', omitStages: ['RequestReceived'], omitManagedFields: false, rule: 14
      },
      { error: 'line 5: not JSON' },
      { error: 'line 6: "user" must be a string or null' },
    ]);
    expect(got.code).toBe(1);
  });

  it('every real event file is read without a rejected line', async() => {
    for (const name of ['audit2rbac-demo.jsonl', 'falco-k8s-audit-trace-files.jsonl', 'panther-analysis-tests.jsonl', 'sysdig-aks-audit-log.jsonl']) {
      const got = await cli(['match', join(POLICIES, 'k8s-docs-example.yaml'), join(EVENTS, name), '--json']);

      expect({ name, rejected: got.out.split('\n').filter((l) => l.includes('"error"')) }).toEqual({ name, rejected: [] });
    }
  });
});

describe('estimate', () => {
  it('per rule events and bytes, totals before and after', async() => {
    const got = await cli(['estimate', join(POLICIES, 'gke-gce-configure-helper.yaml'), join(EVENTS, 'sysdig-aks-audit-log.jsonl'), '--json']);
    const json = JSON.parse(got.out);

    expect(got.code).toBe(0);
    expect(json.before.events).toBe(24);
    expect(json.rules[0]).toEqual(expect.objectContaining({ rule: expect.anything(), events: expect.any(Number), bytes: expect.any(Number) }));
  });
});

describe('the compiled bin, spawned', () => {
  it('is package.json\'s bin: one executable file that starts with a node shebang, run by `yarn audit-policy`', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
    const direct = spawnSync(BIN, ['check', join(POLICIES, 'rke1-default.yaml')], { encoding: 'utf8' });

    expect(join(ROOT, pkg.bin['audit-policy'])).toBe(BIN);
    expect(pkg.scripts['audit-policy']).toBe(`node ${ pkg.bin['audit-policy'] }`);
    expect(readFileSync(BIN, 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true);
    expect(statSync(BIN).mode & 0o111).toBe(0o111);
    expect({ status: direct.status, out: direct.stdout }).toEqual({ status: 0, out: `${ join(POLICIES, 'rke1-default.yaml') }: loadable (1 rules)\n` });
  });

  it.each([
    [[join(POLICIES, 'rke1-default.yaml')], 0],
    [[join(POLICIES, 'falco-examples-audit-policy.yaml')], 1],
    [[join(tmp, 'missing')], 2],
  ])('check %j exits %d', async(args, code) => {
    expect((await bin(['check', ...args])).code).toBe(code);
  });

  it('a reader that leaves early (| head -1) ends it quietly: no EPIPE trace, exit 0 while streaming', () => {
    const script = `set -o pipefail; yes '{"verb":"get","path":"/x"}' | node "$0" match "$1" - | head -1; echo "exit \${PIPESTATUS[1]}"`;
    const got = spawnSync('bash', ['-c', script, BIN, join(POLICIES, 'rke1-default.yaml')], { encoding: 'utf8', timeout: 15000 });

    expect({ out: got.stdout, err: got.stderr }).toEqual({ out: 'line 1: Metadata rules[0]\nexit 0\n', err: '' });
  });

  it('a reader that leaves early after the command finished keeps its exit code', () => {
    const script = `node "$0" lint "$1" | head -0; echo "exit \${PIPESTATUS[0]}"`;
    const got = spawnSync('bash', ['-c', script, BIN, join(POLICIES, 'k8s-docs-example.yaml')], { encoding: 'utf8', timeout: 15000 });

    expect({ out: got.stdout, err: got.stderr }).toEqual({ out: 'exit 1\n', err: '' });
  });

  it('reads a pipe', async() => {
    const got = await bin(['check', '-', '--json'], 'apiVersion: audit.k8s.io/v1\nkind: Policy\nrules:\n- level: None\n');

    expect(JSON.parse(got.out).loadable).toBe(true);
  });
});

describe('render', () => {
  const policy = join(POLICIES, 'k3s-hardening-guide-starter.yaml');

  it.each([
    ['k3s', 'secret', ['Secret', 'Cluster'], 'audit-policy-file=/var/lib/rancher/k3s/server/audit.yaml'],
    ['k3s', 'configmap', ['ConfigMap', 'Cluster'], 'audit-policy-file=/var/lib/rancher/k3s/server/audit.yaml'],
    ['rke2', 'inline', ['Cluster'], 'audit-policy-file: |'],
    ['rke2', 'secret', ['Secret', 'Cluster'], 'audit-policy-file=/etc/rancher/rke2/audit-policy.yaml'],
    ['rke1', 'rke1', ['Cluster'], 'auditLog:'],
  ])('--distro %s --method %s prints %j', async(distro, method, kinds, contains) => {
    const got = await cli(['render', policy, '--distro', distro, '--method', method, '--cluster', 'c1']);
    const docs = got.out.split(/^---$/m).map((d) => (d.match(/^kind: (\w+)$/m) || [])[1]);

    expect(got.code).toBe(0);
    expect(docs).toEqual(kinds);
    expect(got.out).toContain(contains);
  });

  it('merges into a --cluster-file, keeping its other args and entries', async() => {
    const clusterFile = file('cluster.yaml', [
      'apiVersion: provisioning.cattle.io/v1', 'kind: Cluster', 'metadata: {name: c1, namespace: fleet-default}',
      'spec:', '  kubernetesVersion: v1.36.2+rke2r1', '  rkeConfig:', '    machineGlobalConfig:', '      kube-apiserver-arg: [v=2]', '      cni: calico',
    ].join('\n'));
    const got = await cli(['render', policy, '--distro', 'rke2', '--method', 'inline', '--cluster', 'c1', '--cluster-file', clusterFile, '--max-age', '45']);

    expect(got.code).toBe(0);
    expect(got.out).toContain('cni: calico');
    expect(got.out).toMatch(/- v=2\n\s+- audit-log-maxage=45/);
  });

  it.each([
    ['inline for K3s', ['--distro', 'k3s', '--method', 'inline', '--cluster', 'c1'], 1, /K3s has no audit-policy-file option/],
    ['a policy check rejects', ['--distro', 'rke2', '--method', 'inline', '--cluster', 'c1'], 1, /kube-apiserver would refuse this policy/],
    ['no --cluster', ['--distro', 'rke2', '--method', 'inline'], 2, /--cluster NAME is required/],
    ['a bad distro', ['--distro', 'eks', '--method', 'inline', '--cluster', 'c'], 2, /--distro must be one of/],
    ['a bad number', ['--distro', 'rke2', '--method', 'inline', '--cluster', 'c', '--max-age', 'ten'], 2, /--max-age "ten" is not a whole number/],
    ['an unknown option', ['--distro', 'rke2', '--method', 'inline', '--cluster', 'c', '--bogus', 'x'], 2, /unknown option --bogus/],
  ])('refuses %s', async(name, flags, code, message) => {
    const target = name === 'a policy check rejects' ? join(POLICIES, 'falco-examples-audit-policy.yaml') : policy;
    const got = await cli(['render', target, ...flags]);

    expect(got.code).toBe(code);
    expect(got.err).toMatch(message);
    expect(got.out).toBe('');
  });
});
