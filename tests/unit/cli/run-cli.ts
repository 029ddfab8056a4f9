/** Helpers for the CLI tests: `run` in-process with captured streams, the compiled bin as a child, temp files. */
import { spawn } from 'child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { Readable } from 'stream';
import { run } from '../../../cli/run';

export const ROOT = join(__dirname, '../../..');
export const POLICIES = join(ROOT, 'tests/fixtures/policies');
export const EVENTS = join(ROOT, 'tests/fixtures/events');
/** The compiled CLI (package.json `bin`), built by `yarn build:cli` (run by postinstall and `yarn test`). */
export const BIN = join(ROOT, 'dist-cli/audit-policy.js');

export interface Ran {
  code: number;
  out: string;
  err: string;
  ms: number;
}

/** Runs the CLI in-process; `stdin` is what standard input holds (a string, bytes or any stream). */
export async function cli(args: string[], stdin: string | Uint8Array | Readable = ''): Promise<Ran> {
  let out = '';
  let err = '';
  const started = Date.now();
  const code = await run(args, {
    stdout: (t) => {
      out += t;
    },
    stderr: (t) => {
      err += t;
    },
    stdin: () => (stdin instanceof Readable ? stdin : Readable.from([Buffer.from(stdin)])),
  });

  return {
    code, out, err, ms: Date.now() - started
  };
}

/** Runs the compiled bin (`node dist-cli/audit-policy.js ARGS`) with `input` on stdin; killed after `timeoutMs`. */
export function bin(args: string[], input: string | Uint8Array = '', timeoutMs = 15000): Promise<Ran> {
  if (!existsSync(BIN)) {
    throw new Error(`${ BIN } is missing: run yarn build:cli`);
  }
  const started = Date.now();

  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { stdio: 'pipe', timeout: timeoutMs });
    let out = '';
    let err = '';

    child.stdout.on('data', (d) => {
      out += d;
    });
    child.stderr.on('data', (d) => {
      err += d;
    });
    child.stdin.on('error', () => undefined);
    child.stdin.end(input);
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({
      code: code ?? (signal ? -1 : -2), out, err, ms: Date.now() - started
    }));
  });
}

/** A fresh temp directory for one test file. */
export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'audit-policy-'));
}

/** Writes `content` to `dir/name` and returns the path. */
export function writeFile(dir: string, name: string, content: string | Uint8Array): string {
  const path = join(dir, name);

  writeFileSync(path, content);

  return path;
}
