/**
 * `audit-policy report WORLD` (cli/report.ts), driven in-process through `run`, plus one run of the compiled bin:
 * the JSON shape, CSV, the table, exit codes (1: a cluster with an error; 2: unreadable input, one stderr line).
 */
import { dump } from 'js-yaml';
import { KubeObject } from '@pkg/delivery';
import {
  bin, cli, tempDir, writeFile
} from '../cli/run-cli';
import {
  args, cluster, policy, policySecret
} from './worlds';

const tmp = tempDir();
const META = policy('rancher-docs-secret-metadata.yaml');
const KEY = 'audit-policy.yaml';
const asList = (...items: KubeObject[]) => ({ apiVersion: 'v1', kind: 'List', items, metadata: { resourceVersion: '' } });
const yamlFile = (name: string, ...items: KubeObject[]) => writeFile(tmp, name, dump(asList(...items), { noRefs: true, lineWidth: -1 }));

/** Healthy: one cluster reading an authorized Secret, one with audit off. */
const HEALTHY = [cluster('good', args(), [{ name: 'p', key: KEY, hashOf: META }]), cluster('off'), policySecret('p', KEY, META, 'good')];
/** A stale hash (error) next to an external policy (warning). */
const BROKEN = [cluster('stale', args(), [{ name: 'p', key: KEY, hashOf: 'older text' }]), cluster('ext', args('/etc/custom/policy.yaml')), policySecret('p', KEY, META, 'stale')];

describe('report --json', () => {
  it.each([
    ['a healthy world', HEALTHY, 0, [['good', ''], ['off', '']]],
    ['an error on a cluster', BROKEN, 1, [['stale', 'stale-hash'], ['ext', 'external-policy']]],
    ['warnings only', [cluster('ext', args('/etc/custom/policy.yaml'))], 0, [['ext', 'external-policy']]],
  ])('%s -> exit %d', async(_what, items, code, rows) => {
    const got = await cli(['report', yamlFile('world.yaml', ...items), '--json']);
    const json = JSON.parse(got.out);

    expect(got.code).toBe(code);
    expect(got.err).toBe('');
    expect(json.clusters.map((c: { name: string, problems: { id: string }[] }) => [c.name, c.problems.map((p) => p.id).join(' ')])).toEqual(rows);
  });

  it('prints {clusters, policies} with the fields the issue names, in order', async() => {
    const json = JSON.parse((await cli(['report', yamlFile('world.yaml', ...HEALTHY), '--json'])).out);

    expect(Object.keys(json)).toEqual(['clusters', 'policies']);
    expect(json.clusters[0]).toEqual({
      name: 'good', namespace: 'fleet-default', distro: 'rke2', enabled: true, method: 'secret', object: { kind: 'secret', name: 'p' }, fingerprint: expect.stringMatching(/^[0-9a-f]{12}$/), preset: 'rke1-default', findings: { error: 0, warning: 0 }, rotation: { maxAge: '30', maxBackup: '10', maxSize: '100', cisOk: true }, problems: []
    });
    expect(Object.keys(json.policies[0])).toEqual(['kind', 'namespace', 'name', 'key', 'fingerprint', 'preset', 'authorized', 'consumers', 'problems']);
  });

  it('reads a JSON List from standard input', async() => {
    const got = await cli(['report', '-', '--json'], JSON.stringify(asList(...HEALTHY)));

    expect(got.code).toBe(0);
    expect(JSON.parse(got.out).clusters).toHaveLength(2);
  });
});

describe('report --csv', () => {
  it('one record per cluster, the JSON fields as columns, CRLF', async() => {
    const got = await cli(['report', yamlFile('world.yaml', ...BROKEN), '--csv']);

    expect(got.code).toBe(1);
    expect(got.out.split('\r\n')).toEqual([
      'name,namespace,distro,enabled,method,object.kind,object.name,fingerprint,preset,findings.error,findings.warning,rotation.maxAge,rotation.maxBackup,rotation.maxSize,rotation.cisOk,problems',
      expect.stringMatching(/^stale,fleet-default,rke2,true,secret,secret,p,[0-9a-f]{12},rke1-default,0,0,30,10,100,true,stale-hash$/),
      'ext,fleet-default,rke2,true,external,,,,,,,30,10,100,true,external-policy',
      '',
    ]);
  });

  it('a name that starts a formula is defused', async() => {
    const got = await cli(['report', yamlFile('world.yaml', cluster('=HYPERLINK("http://x")')), '--csv']);

    expect(got.out.split('\r\n')[1]).toBe('"\'=HYPERLINK(""http://x"")",fleet-default,rke2,false,,,,,,,,,,,,');
  });
});

describe('report (table)', () => {
  it('both tables, the problems with their messages, a summary', async() => {
    const got = await cli(['report', yamlFile('world.yaml', ...BROKEN)]);
    const lines = got.out.split('\n');

    expect(got.code).toBe(1);
    expect(lines[0]).toMatch(/^CLUSTER +DISTRO +AUDIT +METHOD +OBJECT +POLICY +LINT E\/W +ROTATION +PROBLEMS$/);
    expect(lines[1]).toMatch(/^stale +rke2 +on +secret +secret\/p +rke1-default +0\/0 +30\/10\/100 ok +stale-hash$/);
    expect(lines[2]).toMatch(/^ext +rke2 +on +external +- +- +- +30\/10\/100 ok +external-policy$/);
    expect(lines).toContain('ext: warning: [external-policy] audit-policy-file="/etc/custom/policy.yaml" is put on the nodes some other way: its policy cannot be read here');
    expect(lines.filter((l) => l.startsWith('stale: error: [stale-hash] the item\'s hash '))).toHaveLength(1);
    expect(lines[lines.length - 2]).toBe('2 cluster(s): 2 with the audit log on, 1 with errors; 1 policy key(s) in Secrets/ConfigMaps; 1 distinct policy');
  });

  it('a cluster that writes no log file: "no log file" for its rotation, the warning with its message', async() => {
    const got = await cli(['report', yamlFile('world.yaml', cluster('nofile', args(undefined, '30', '10', '100', null), [{ name: 'p', key: KEY, hashOf: META }]), policySecret('p', KEY, META, 'nofile'))]);
    const lines = got.out.split('\n');

    expect(got.code).toBe(0);
    expect(lines[1]).toMatch(/^nofile +rke2 +on +secret +secret\/p +rke1-default +0\/0 +no log file +no-log-file$/);
    expect(lines).toContain('nofile: warning: [no-log-file] no audit log file (audit-log-path is not set, or set empty): the events go to the audit webhook only, and the CIS Benchmark checks for a log file kept at least 30 days, 10 files, 100 MB');
  });

  it('control characters from the world are escaped, never sent to the terminal', async() => {
    const got = await cli(['report', yamlFile('world.yaml', cluster('a\u001b[31mb\u202ec'))]);

    expect(got.out).toContain('a\\u001b[31mb\\u202ec');
    expect([...got.out].filter((ch) => ch === '\u001b' || ch === '\u202e')).toEqual([]);
  });
});

describe('unreadable input: one line on stderr, exit 2', () => {
  it.each([
    ['no such file', () => ['report', `${ tmp }/missing.yaml`], /missing\.yaml: cannot read: no such file$/],
    ['a directory', () => ['report', tmp], /is a directory, not a file$/],
    ['binary bytes', () => ['report', writeFile(tmp, 'bin', Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 1, 2, 0xff]))], /bin: not YAML or JSON text: yaml: control characters are not allowed at byte 0/],
    ['not a List', () => ['report', writeFile(tmp, 'secret.yaml', 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\n')], /secret\.yaml: not a Kubernetes List/],
    ['a YAML error', () => ['report', writeFile(tmp, 'bad.yaml', 'items:\n- a: [\n')], /bad\.yaml: not YAML or JSON: yaml: line 3/],
    ['Secret data not base64', () => ['report', writeFile(tmp, 'b64.json', JSON.stringify(asList({ ...policySecret('p', KEY, META, 'a'), data: { k: '%%%' } })))], /b64\.json: items\[0\] \(Secret p\): data\.k is not base64$/],
    ['--json and --csv', () => ['report', yamlFile('world.yaml', ...HEALTHY), '--json', '--csv'], /--json and --csv: choose one$/],
    ['no WORLD', () => ['report'], /usage: audit-policy report WORLD \[--json\|--csv\]$/],
    ['an unknown option', () => ['report', 'w.yaml', '--yaml'], /unknown option --yaml; usage: audit-policy report WORLD/],
  ])('%s', async(_what, argv, message) => {
    const got = await cli(argv());

    expect(got.code).toBe(2);
    expect(got.out).toBe('');
    expect(got.err.split('\n')).toEqual([expect.stringMatching(message), '']);
    expect(got.err).not.toMatch(/\n\s+at /);
  });

  it('--help lists report with its usage', async() => {
    const got = await cli(['--help']);

    expect(got.out).toContain('  report WORLD [--json|--csv]\n      the audit status of every cluster');
  });
});

describe('the compiled bin', () => {
  it('report --json exits 1 on a world with an error', async() => {
    const got = await bin(['report', yamlFile('bin-world.yaml', ...BROKEN), '--json']);

    expect(got.code).toBe(1);
    expect(JSON.parse(got.out).clusters).toHaveLength(2);
  });
});
