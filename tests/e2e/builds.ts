/**
 * The builds the packaged mode of the browser suite and `yarn bench` load, made by the project's own scripts
 * when missing or older than their sources: the extension package (`yarn build-pkg`, dist-pkg/<name>-<version>/)
 * and the dashboard's production build without it (`yarn build` with EXCLUDE_PKGS, dist/). Builds run one at a
 * time on this machine (flock), their output goes to a log file, a failed build throws with that log's path.
 */
import { spawnSync } from 'child_process';
import { createHash } from 'crypto';
import {
  existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync
} from 'fs';
import { join } from 'path';

const ROOT = join(__dirname, '..', '..');
const LOGS = join(ROOT, 'tests', 'e2e', 'artifacts', 'logs');

/** Where the dashboard's production build goes (the shell's default OUTPUT_DIR). */
export const DASHBOARD_DIST = join(ROOT, 'dist');
/** The file in DASHBOARD_DIST that says what it was built from. */
const STAMP = '.build-inputs.json';

/**
 * The newest modification time of the files under `path` (a file or a folder; dot-files and node_modules skipped).
 * Folders' own times do not count: build-pkg adds and removes a link in the package's folder while it builds.
 */
function newest(path: string): number {
  if (!existsSync(path)) {
    return 0;
  }
  const stat = statSync(path);

  if (!stat.isDirectory()) {
    return stat.mtimeMs;
  }

  return Math.max(0, ...readdirSync(path).filter((f) => !f.startsWith('.') && f !== 'node_modules').map((f) => newest(join(path, f))));
}

/** Runs a build command under the machine-wide build lock, its output in LOGS/<log>; throws when it fails. */
function build(what: string, args: string[], env: Record<string, string>, log: string): void {
  mkdirSync(LOGS, { recursive: true });
  const logFile = join(LOGS, log);
  const hasFlock = spawnSync('flock', ['--version'], { stdio: 'ignore' }).status === 0;
  const [command, ...rest] = hasFlock ? ['flock', '/tmp/cluster-audit-log-builds.lock', 'yarn', ...args] : ['yarn', ...args];
  const started = Date.now();

  process.stdout.write(`builds: ${ what } (log: ${ logFile })\n`);
  // vue-cli builds for production only when NODE_ENV is unset (jest sets it to "test")
  const { NODE_ENV: _, ...inherited } = process.env;
  const out = spawnSync(command, rest, {
    cwd: ROOT, env: { ...inherited, ...env }, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024
  });

  writeFileSync(logFile, `${ out.stdout || '' }${ out.stderr || '' }`);
  if (out.status !== 0) {
    throw new Error(`${ what } failed (exit ${ out.status ?? out.signal }); see ${ logFile }`);
  }
  process.stdout.write(`builds: ${ what } took ${ ((Date.now() - started) / 1000).toFixed(0) } s\n`);
}

/** The extension pkg/<name>'s package.json. */
export function packageJsonOf(name: string): { name: string, version: string } {
  return JSON.parse(readFileSync(join(ROOT, 'pkg', name, 'package.json'), 'utf8'));
}

/** The folder `yarn build-pkg <name>` writes: dist-pkg/<name>-<version>. */
export function packageDir(name: string): string {
  return join(ROOT, 'dist-pkg', `${ name }-${ packageJsonOf(name).version }`);
}

/**
 * The folder of the built extension pkg/<name> (packageDir), built first when its UMD is missing or older than
 * anything it is built from (the package, the l10n files, yarn.lock, the shell).
 */
export function ensurePackageBuild(name: string): string {
  const { version } = packageJsonOf(name);
  const dir = packageDir(name);
  const umd = join(dir, `${ name }-${ version }.umd.min.js`);
  const sources = Math.max(newest(join(ROOT, 'pkg', name)), newest(join(ROOT, 'l10n')), newest(join(ROOT, 'yarn.lock')), newest(join(ROOT, 'node_modules/@rancher/shell/package.json')));

  if (!existsSync(umd) || statSync(umd).mtimeMs < sources) {
    build(`yarn build-pkg ${ name }`, ['build-pkg', name], {}, `build-pkg-${ name }.log`);
  }

  return dir;
}

/**
 * The dashboard's production build (dist/) with the packages `excludes` left out, built first unless dist/ was
 * built from the same inputs (the exclusions, yarn.lock, the app's vue.config.js, the shell's version).
 */
export function ensureDashboardBuild(excludes: string[]): string {
  const inputs = createHash('sha256');

  for (const file of ['yarn.lock', 'vue.config.js', 'node_modules/@rancher/shell/package.json']) {
    inputs.update(readFileSync(join(ROOT, file)));
  }
  const stamp = JSON.stringify({ excludes, inputs: inputs.digest('hex') });
  const stampFile = join(DASHBOARD_DIST, STAMP);

  if (!existsSync(join(DASHBOARD_DIST, 'index.html')) || !existsSync(stampFile) || readFileSync(stampFile, 'utf8') !== stamp) {
    build(`the dashboard's production build without ${ excludes.join(', ') }`, ['build'], { EXCLUDE_PKGS: excludes.join(','), OUTPUT_DIR: DASHBOARD_DIST, NODE_OPTIONS: '--max-old-space-size=4096' }, 'build-dashboard.log');
    writeFileSync(stampFile, stamp);
  }

  return DASHBOARD_DIST;
}
