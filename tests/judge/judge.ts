/**
 * The Go judge from TypeScript tests: builds tests/judge (once per source hash, into tests/judge/.build) and
 * judges a batch of inputs with one process (see main.go for the protocol and what it mirrors).
 */
import { spawnSync } from 'child_process';
import { createHash } from 'crypto';
import {
  existsSync, mkdirSync, readdirSync, readFileSync, renameSync
} from 'fs';
import { join } from 'path';

const DIR = __dirname;
const BUILD = join(DIR, '.build');
const GOPATH = '/usr/share/gocode';
const MISSING = 'the Go judge cannot be built: Go or the Debian Go YAML sources are missing; run scripts/ensure-go-judge.sh';

/** What kube-apiserver's decoding makes of one input (main.go Verdict). */
export interface JudgeVerdict {
  id: string;
  json: boolean;
  converted: string | null;
  ok: boolean;
  error: string;
  strictErrors: string[];
  apiVersion: string;
  kind: string;
  policy: unknown;
}

function sources(): string[] {
  const walk = (dir: string): string[] => readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    if (e.isDirectory()) {
      return e.name.startsWith('.') ? [] : walk(join(dir, e.name));
    }

    return e.name.endsWith('.go') ? [join(dir, e.name)] : [];
  });

  return walk(DIR).sort();
}

let built: string | undefined;

/** The judge binary, built if its sources changed; throws one clear line when Go is missing. */
export function judgeBinary(): string {
  if (built) {
    return built;
  }
  const hash = createHash('sha256');

  for (const file of sources()) {
    hash.update(file.slice(DIR.length)).update(readFileSync(file));
  }
  const bin = join(BUILD, `judge-${ hash.digest('hex').slice(0, 16) }`);

  if (!existsSync(bin)) {
    const go = spawnSync('go', ['version'], { encoding: 'utf8' });

    if (go.error || go.status !== 0 || !existsSync(join(GOPATH, 'src/sigs.k8s.io/yaml'))) {
      throw new Error(MISSING);
    }
    mkdirSync(BUILD, { recursive: true });
    const tmp = `${ bin }.tmp${ process.pid }`;
    const run = spawnSync('go', ['build', '-o', tmp, '.'], {
      cwd:      DIR,
      encoding: 'utf8',
      env:      {
        ...process.env, GOPATH, GO111MODULE: 'off', GOFLAGS: '', GOCACHE: join(BUILD, 'cache'), CGO_ENABLED: '0'
      },
    });

    if (run.status !== 0) {
      throw new Error(`the Go judge does not build: ${ (run.stderr || String(run.error)).trim().split('\n')[0] }`);
    }
    renameSync(tmp, bin);
  }
  built = bin;

  return bin;
}

/** Judges every input with one judge process; verdicts come back in the same order. */
export function judgeAll(inputs: (string | Uint8Array)[]): JudgeVerdict[] {
  const lines = inputs.map((input, i) => JSON.stringify({ id: String(i), input: Buffer.from(input).toString('base64') }));
  const run = spawnSync(judgeBinary(), [], {
    input: `${ lines.join('\n') }\n`, encoding: 'utf8', maxBuffer: 1 << 30
  });

  if (run.status !== 0) {
    throw new Error(`the Go judge failed: ${ (run.stderr || String(run.error)).trim().split('\n')[0] }`);
  }
  const verdicts = run.stdout.split('\n').filter((l) => l).map((l) => JSON.parse(l) as JudgeVerdict);

  if (verdicts.length !== inputs.length) {
    throw new Error(`the Go judge answered ${ verdicts.length } of ${ inputs.length } inputs`);
  }

  return verdicts;
}
