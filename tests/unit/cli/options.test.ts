/**
 * What the CLI accepts on its command line: options per command (node:util parseArgs, strict), names
 * (apimachinery's rules) and whole numbers (Go int, digit for digit). Every refusal is one line, exit 2.
 */
import { join } from 'path';
import { cli, POLICIES } from './run-cli';

const POLICY = join(POLICIES, 'k3s-hardening-guide-starter.yaml');
const RENDER = ['render', POLICY, '--distro', 'rke2', '--method', 'secret', '--cluster', 'c1'];

/** `render` with this option: `--cluster` replaces c1, any other is added. */
function renderWith(option: string, value: string): string[] {
  return option === '--cluster' ? [...RENDER.slice(0, -1), value] : [...RENDER, option, value];
}

describe('options: one line and exit 2 for anything a command does not declare', () => {
  it.each([
    [['check', POLICY, '--bogus'], /^audit-policy: unknown option --bogus; usage: audit-policy check FILE \[--json\]$/],
    [['check', POLICY, '-x'], /^audit-policy: unknown option -x; usage/],
    [['check', POLICY, '--json=yes'], /^audit-policy: Option '--json' does not take an argument$/],
    [['check', POLICY, '--json', '--json'], /^audit-policy: option --json is given more than once$/],
    [['check', POLICY, POLICY], /^audit-policy: usage: audit-policy check FILE \[--json\]$/],
    [['match', POLICY], /^audit-policy: usage: audit-policy match FILE REQUESTS \[--json\]$/],
    [['render', POLICY, '--json'], /^audit-policy: unknown option --json; usage: audit-policy render POLICY/],
    [['render', POLICY, '--cluster'], /^audit-policy: Option '--cluster <value>' argument missing$/],
    [['render', POLICY, '--max-age', '-5'], /^audit-policy: Option '--max-age' argument is ambiguous\. Did you forget/],
    [[...RENDER, '--cluster', 'c2'], /^audit-policy: option --cluster is given more than once$/],
    [[...RENDER, '--method=inline'], /^audit-policy: option --method is given more than once$/],
  ])('%j', async(args, message) => {
    const got = await cli(args);

    expect(got.code).toBe(2);
    expect(got.err.trimEnd()).toMatch(message);
    expect(got.err.trimEnd().split('\n')).toHaveLength(1);
    expect(got.out).toBe('');
  });

  it.each([
    [['check', '--help'], 'usage: audit-policy check FILE [--json]\n'],
    [['estimate', '--help'], 'usage: audit-policy estimate FILE AUDITLOG [--max-size N] [--max-backup N] [--max-age N] [--distro rke2|k3s|rke1] [--kubernetes-version V] [--json]\n'],
    [['render', '--help'], expect.stringMatching(/^usage: audit-policy render POLICY --distro rke2\|k3s\|rke1 .*--file-path P\] \[--webhook-config KUBECONFIG \[--webhook-mode batch\|blocking\|blocking-strict\]\]\n$/)],
    [['check-webhook', '--help'], 'usage: audit-policy check-webhook KUBECONFIG [--json]\n'],
  ])('%j prints the command usage, exit 0', async(args, usage) => {
    const got = await cli(args);

    expect(got).toEqual(expect.objectContaining({ code: 0, out: usage, err: '' }));
  });

  it('--help lists every command with its usage line, exit 0', async() => {
    const got = await cli(['--help']);
    const usages = got.out.split('\n').filter((l) => /^ {2}\S/.test(l)).map((l) => l.trim().split(' ')[0]);

    expect({ code: got.code, err: got.err, usages }).toEqual({ code: 0, err: '', usages: ['check', 'lint', 'match', 'estimate', 'render', 'report', 'check-webhook'] });
  });

  it('`--` ends the options: what follows is an operand', async() => {
    const got = await cli(['check', '--', '--json']);

    expect(got.code).toBe(2);
    expect(got.err).toBe('audit-policy: --json: cannot read: no such file\n');
  });
});

describe('names: apimachinery rules and messages, exit 2', () => {
  const LABEL = "a DNS-1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character";
  const SUBDOMAIN = "a DNS-1123 subdomain must consist of lower case alphanumeric characters, '-' or '.'";
  const KEY = "a valid config key must consist of alphanumeric characters, '-', '_' or '.'";

  it.each([
    ['--cluster', 'c,victim', `--cluster "c,victim": ${ LABEL }`],
    ['--cluster', 'C1', `--cluster "C1": ${ LABEL }`],
    ['--cluster', 'c1.example', `--cluster "c1.example": ${ LABEL }`],
    ['--cluster', 'c'.repeat(64), `--cluster "${ 'c'.repeat(64) }": must be no more than 63 characters`],
    ['--cluster', '', `--cluster "": ${ LABEL }`],
    ['--namespace', 'fleet default', `--namespace "fleet default": ${ LABEL }`],
    ['--object-name', 'audit,other', `--object-name "audit,other": ${ SUBDOMAIN }`],
    ['--object-name', `${ 'a'.repeat(250) }.com`, 'must be no more than 253 characters'],
    ['--key', 'policy.yaml\nx', `--key "policy.yaml\\nx": ${ KEY }`],
    ['--key', '..policy', "must not start with '..'"],
    ['--file-path', 'etc/audit.yaml', '--file-path "etc/audit.yaml": must be an absolute path'],
    ['--file-path', '/etc/rancher/../audit.yaml', `--file-path "/etc/rancher/../audit.yaml": must be a clean path (no '//', '/./', '/../' or trailing '/'): "/etc/audit.yaml"`],
    ['--file-path', '/etc/audit.yaml\n- --evil', '--file-path "/etc/audit.yaml\\n- --evil": must be one line, without NUL characters'],
    ['--log-path', '/', `--log-path "/": must not be '/'`],
    ['--log-path', '/var/log//audit.log', 'must be a clean path'],
  ])('%s %j is refused', async(option, value, message) => {
    const got = await cli(renderWith(option, value));

    expect(got.code).toBe(2);
    expect(got.err).toContain(message);
    expect(got.err.split('\n')).toHaveLength(2);
    expect(got.out).toBe('');
  });

  it.each([
    ['--cluster', 'c-1'],
    ['--namespace', 'fleet-default'],
    ['--object-name', 'audit.policy-1'],
    ['--key', 'KEY_name-1.yaml'],
    ['--file-path', '/etc/rancher/audit-policy.yaml'],
    ['--log-path', '/var/log/audit.log'],
  ])('%s %j is accepted and written', async(option, value) => {
    const got = await cli(renderWith(option, value));

    expect(got.err).toBe('');
    expect(got.code).toBe(0);
    expect(got.out).toContain(value);
  });
});

describe('numbers: whole, within Go int, written with the digits given (leading zeros dropped)', () => {
  it.each([
    ['45', 'audit-log-maxage=45'],
    ['0', 'audit-log-maxage=0'],
    ['010', 'audit-log-maxage=10'],
    ['9007199254740993', 'audit-log-maxage=9007199254740993'],
    ['9223372036854775807', 'audit-log-maxage=9223372036854775807'],
    ['0009223372036854775807', 'audit-log-maxage=9223372036854775807'],
  ])('--max-age %s -> %s', async(value, written) => {
    const got = await cli([...RENDER, '--max-age', value]);

    expect(got.code).toBe(0);
    expect(got.out).toContain(`- ${ written }\n`);
  });

  it.each([
    ['--max-age', '9223372036854775808', '--max-age "9223372036854775808" is too large: at most 9223372036854775807'],
    ['--max-age', '1000000000000000000000', '--max-age "1000000000000000000000" is too large'],
    ['--max-backup', '1e3', '--max-backup "1e3" is not a whole number'],
    ['--max-size', '10.5', '--max-size "10.5" is not a whole number'],
    ['--max-size', '0x10', '--max-size "0x10" is not a whole number'],
    ['--max-size', ' 10', '--max-size " 10" is not a whole number'],
    ['--max-size=-1', undefined, '--max-size "-1" is negative'],
    ['--max-age=', undefined, '--max-age must be a whole number; it is empty'],
  ])('%s %s is refused', async(option, value, message) => {
    const got = await cli([...RENDER, option, ...(value === undefined ? [] : [value])]);

    expect(got.code).toBe(2);
    expect(got.err.startsWith(`audit-policy: ${ message }`)).toBe(true);
    expect(got.err.split('\n')).toHaveLength(2);
    expect(got.out).toBe('');
  });

  it('RKE1 keeps the numbers as JSON numbers: above 2^53 - 1 the plan refuses, exit 1', async() => {
    const got = await cli(['render', join(POLICIES, 'rke1-default.yaml'), '--distro', 'rke1', '--cluster', 'c1', '--max-age', '9007199254740993']);

    expect(got.code).toBe(1);
    expect(got.err).toMatch(/^audit-policy: maxAge: "9007199254740993" is too large: at most 9007199254740991 \(RKE1 keeps it as a JSON number.*\)\n$/);
  });
});
