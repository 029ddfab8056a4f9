/**
 * Never a stack trace (fast-check): `check`, `lint` and `render --cluster-file` on generated hostile bytes -- random bytes, YAML-ish text,
 * huge numbers, deep nesting, alias bombs -- and on every file under tests/fixtures/hostile/ end with exit 0, 1
 * or 2, at most one line on stderr, stdout in the documented format, no V8 error or stack frame, in bounded time.
 * Most cases run `run()` in-process; full-size bombs and the corpus run the compiled bin, killed if it overruns.
 */
import fc from 'fast-check';
import { readdirSync, statSync } from 'fs';
import { join, relative } from 'path';
import {
  bin, cli, Ran, ROOT, tempDir, writeFile
} from './run-cli';

const tmp = tempDir();
const HOSTILE = join(ROOT, 'tests/fixtures/hostile');
/** In-process bound: the generated inputs are at most a few hundred KiB. */
const IN_PROCESS_MS = 5000;
/** A spawned bin is killed after this; a clean run of a 4 MiB input takes well under it. */
const SPAWNED_MS = 20000;

const HEAD = 'apiVersion: audit.k8s.io/v1\nkind: Policy\n';

/**
 * What `check` and `lint` may print on stdout (text format): one finding or diagnostic per line, then a summary
 * (dotAll: a finding may quote U+2028 or U+0085 from the file; only `\n` ends a line).
 */
const STDOUT_LINE: Record<string, RegExp> = {
  check:  /^(?:(?:error|warning): .*|.*: (?:loadable \(\d+ rules\)|NOT loadable))$/s,
  lint:   /^(?:(?:error|warning|info): \[[a-z0-9.-]+\] .*|.*: \d+ finding\(s\), \d+ error\(s\))$/s,
  render: /^/,
};

const POLICY = join(ROOT, 'tests/fixtures/policies/rke1-default.yaml');

/** The arguments of each command on a hostile file: as the policy, or for `render` as the cluster file. */
function argsFor(command: string, path: string): string[] {
  return command === 'render' ? ['render', POLICY, '--distro', 'rke2', '--method', 'inline', '--cluster', 'c', '--cluster-file', path] : [command, path];
}

/** The contract every run meets, as one object so a failing case shows everything at once. */
function verdict(command: string, got: Ran, boundMs: number) {
  const errLines = got.err.split('\n').filter((l) => l !== '');
  const outLines = got.out.split('\n').filter((l) => l !== '');

  return {
    stderr:          got.err.slice(0, 500),
    code:            [0, 1, 2].includes(got.code),
    stderrOneLine:   errLines.length <= 1,
    stderrPrefix:    errLines.every((l) => l.startsWith('audit-policy: ')),
    stdoutFormat:    outLines.find((l) => !STDOUT_LINE[command].test(l)) ?? true,
    noStackFrame:    !/^\s+at /m.test(got.err + got.out),
    noV8Error:       !/\b(?:Range|Type|Reference|Syntax|Eval|URI|Internal)?Error: /.test(got.err + got.out),
    noInternalError: !got.err.includes('internal error'),
    inTime:          got.ms < boundMs,
  };
}

const CLEAN = {
  code: true, stderrOneLine: true, stderrPrefix: true, stdoutFormat: true, noStackFrame: true, noV8Error: true, noInternalError: true, inTime: true
};

let n = 0;

/** Writes the bytes to a fresh file and checks `check`, `lint` and `render --cluster-file` on it, in-process. */
async function holds(bytes: string | Uint8Array): Promise<void> {
  const path = writeFile(tmp, `case-${ n++ }.yaml`, bytes);

  for (const command of ['check', 'lint', 'render']) {
    const got = await cli(argsFor(command, path));

    expect({ command, ...verdict(command, got, IN_PROCESS_MS) }).toEqual({ command, ...CLEAN, stderr: got.err.slice(0, 500) });
  }
}

/** The same through the compiled bin, a child process killed after SPAWNED_MS. */
async function holdsSpawned(bytes: string | Uint8Array): Promise<void> {
  const path = writeFile(tmp, `case-${ n++ }.yaml`, bytes);

  for (const command of ['check', 'lint', 'render']) {
    const got = await bin(argsFor(command, path), '', SPAWNED_MS);

    expect({ command, ...verdict(command, got, SPAWNED_MS) }).toEqual({ command, ...CLEAN, stderr: got.err.slice(0, 500) });
  }
}

const FRAGMENTS = [
  HEAD, 'rules:\n', '- level: None\n', '- level: Metadata\n', '  users: [', '  resources:\n  - group: ""\n', ']', '[', '{', '}',
  ', ', ': ', '- ', '? ', '\n', '  ', '\t', '#', '"', "'", '\\', '&a ', '*a', '<<: *a\n', '!!binary ', '!!python/object ', '!<tag:x> ',
  '%YAML 1.1\n', '%TAG ! tag:x:\n', '---\n', '...\n', '|\n', '>-\n', 'yes', 'on', '~', 'null', '1e400', '0x1F', '.inf', '2001-12-14t21:59:43.10-05:00',
  '\uFEFF', '\u0085', '\u2028', '\u0000', '\u0007', '\uD800', 'é', '🙂', 'level', 'omitStages', 'RequestReceived', 'nonResourceURLs: ["/*"]',
];

const yamlish = fc.array(fc.constantFrom(...FRAGMENTS), { maxLength: 160 }).map((parts) => parts.join(''));

const hugeNumber = fc.oneof(
  fc.bigInt({ min: -(2n ** 200n), max: 2n ** 200n }).map(String),
  fc.stringMatching(/^[0-9]{1,400}$/),
  fc.constantFrom('1e400', '-1e400', '.nan', '-.inf', '0x7fffffffffffffffffff', '0o777777777777777777777777', '1_000_000', '9223372036854775808', '1.7976931348623157e309'),
);

const withNumbers = fc.tuple(hugeNumber, hugeNumber, hugeNumber).map(([a, b, c]) => `${ HEAD }metadata:\n  generation: ${ a }\n  deletionGracePeriodSeconds: ${ b }\nrules:\n- level: ${ c }\n  omitStages: [${ a }]\n  users: [${ b }]\n`);

type Nesting = 'flow-seq' | 'flow-map' | 'block-seq' | 'block-map' | 'mixed';

/** A policy whose rules hold `depth` nested collections of one kind. */
function nested(kind: Nesting, depth: number): string {
  switch (kind) {
  case 'flow-seq':
    return `${ HEAD }rules: ${ '['.repeat(depth) }${ ']'.repeat(depth) }\n`;
  case 'flow-map':
    return `${ HEAD }rules: ${ '{a: '.repeat(depth) }1${ '}'.repeat(depth) }\n`;
  case 'block-seq':
    return `${ HEAD }rules:\n${ '- '.repeat(depth) }level: None\n`;
  case 'block-map':
    return `${ HEAD }rules:\n- level: None\n  x:\n${ Array.from({ length: depth }, (_, i) => `${ ' '.repeat(i + 3) }a:`).join('\n') } 1\n`;
  default:
    return `${ HEAD }rules: ${ '[{a: '.repeat(depth) }`;
  }
}

const nesting = fc.record({
  kind:  fc.constantFrom<Nesting>('flow-seq', 'flow-map', 'block-seq', 'block-map', 'mixed'),
  depth: fc.integer({ min: 1, max: 12000 }),
}).map(({ kind, depth }) => nested(kind, kind === 'block-map' ? Math.min(depth, 1500) : depth));

/** `levels` anchors, each a list of `width` aliases of the one before: width^levels values once expanded. */
function aliasBomb(width: number, levels: number, where: 'users' | 'rules' | 'metadata'): string {
  const lines = ['a0: &a0 ["x"]'];

  for (let i = 1; i <= levels; i++) {
    lines.push(`a${ i }: &a${ i } [${ Array.from({ length: width }, () => `*a${ i - 1 }`).join(', ') }]`);
  }
  const anchors = `x-anchors:\n${ lines.map((l) => `  ${ l }`).join('\n') }\n`;
  const top = `*a${ levels }`;

  if (where === 'metadata') {
    return `${ HEAD }metadata:\n  annotations: ${ top }\n${ anchors }rules:\n- level: None\n`;
  }

  return where === 'rules' ? `${ HEAD }${ anchors }rules: ${ top }\n` : `${ HEAD }${ anchors }rules:\n- level: None\n  users: ${ top }\n`;
}

/** Bombs small enough to expand in-process (at most about a million values). */
const smallBomb = fc.record({
  width:  fc.integer({ min: 2, max: 10 }),
  levels: fc.integer({ min: 1, max: 6 }),
  where:  fc.constantFrom<'users' | 'rules' | 'metadata'>('users', 'rules', 'metadata'),
}).filter(({ width, levels }) => width ** levels <= 1e6).map(({ width, levels, where }) => aliasBomb(width, levels, where));

describe('check, lint and render --cluster-file on generated hostile input, in-process', () => {
  it.each([
    ['random bytes', fc.uint8Array({ maxLength: 4096 }), 150],
    ['random YAML-ish text', yamlish, 300],
    ['huge numbers', withNumbers, 150],
    ['deep nesting', nesting, 25],
    ['alias bombs that fit in memory', smallBomb, 40],
  ] as [string, fc.Arbitrary<string | Uint8Array>, number][])('%s', async(_name, arbitrary, numRuns) => {
    await fc.assert(fc.asyncProperty(arbitrary, holds), { numRuns, seed: 20261202 });
  }, 120000);
});

describe('check, lint and render --cluster-file through the compiled bin, killed if they overrun', () => {
  it.each([
    ['random bytes', () => fc.sample(fc.uint8Array({ minLength: 1, maxLength: 65536 }), 1)[0]],
    ['random YAML-ish text', () => fc.sample(yamlish, 1)[0]],
    ['flow nesting up to the 4 MiB cap', () => `${ HEAD }rules: ${ '['.repeat(4 * 1024 * 1024 - 100) }`],
    ['block sequences up to the 4 MiB cap', () => `${ HEAD }rules:\n${ '- '.repeat(2 * 1024 * 1024 - 100) }`],
    ['flow mappings up to the 4 MiB cap', () => `${ HEAD }rules: ${ '{a: '.repeat(1024 * 1024 - 100) }`],
    ['a billion-value alias bomb in users', () => aliasBomb(9, 9, 'users')],
    ['a billion-value alias bomb as rules', () => aliasBomb(9, 9, 'rules')],
    ['a billion-value alias bomb in metadata', () => aliasBomb(9, 9, 'metadata')],
  ])('%s', async(_name, bytes) => {
    await holdsSpawned(bytes());
  }, 4 * SPAWNED_MS);
});

/** Every file under a folder, recursively. */
function filesUnder(dir: string): string[] {
  let names: string[];

  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }

  return names.flatMap((name) => {
    const path = join(dir, name);

    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

describe('the hostile corpus (tests/fixtures/hostile/), through the compiled bin', () => {
  const files = filesUnder(HOSTILE).filter((f) => !/\.md$/i.test(f));

  it('is there', () => {
    expect(files.length).toBeGreaterThan(0);
  });

  const each = files.length ? it.each : () => () => undefined;

  each(files.map((f) => [relative(HOSTILE, f), f]))('%s', async(_name: string, path: string) => {
    for (const command of ['check', 'lint', 'render']) {
      const got = await bin(argsFor(command, path), '', SPAWNED_MS);

      expect({ command, ...verdict(command, got, SPAWNED_MS) }).toEqual({ command, ...CLEAN, stderr: got.err.slice(0, 500) });
    }
  }, 4 * SPAWNED_MS);
});
