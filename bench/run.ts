/** `yarn bench`: prints the project's benchmark numbers as a table. Not a test: it asserts nothing. */
import { cpus } from 'os';
import { browserBench } from './browser';
import { cliBench } from './cli';
import { engineBench } from './engine';
import { fleetBench } from './fleet';
import { volumeBench } from './volume';

function table(title: string, rows: { name: string, value: string }[]): string {
  const width = Math.max(...rows.map((r) => r.name.length));

  return [`## ${ title }`, ...rows.map((r) => `${ r.name.padEnd(width) }  ${ r.value }`)].join('\n');
}

async function main(): Promise<void> {
  const started = new Date().toISOString();

  process.stdout.write(`# cluster-audit-log benchmarks, ${ started }, node ${ process.version }, ${ cpus().length } x ${ cpus()[0]?.model }\n\n`);
  process.stdout.write(`${ table('Engine (issue 2)', engineBench()) }\n\n`);
  process.stdout.write(`${ table('CLI start-up (issue 10)', cliBench()) }\n\n`);
  process.stdout.write(`${ table('Fleet report (issue 9)', fleetBench()) }\n\n`);
  if (!process.argv.includes('--engine-only')) {
    process.stdout.write(`${ table('In the browser: the production build, the extension loaded as a package, one chromium run (issues 5 and 11)', await browserBench()) }\n`);
    process.stdout.write(`\n${ table('Volume estimate in the browser\'s Web Worker (issue 12)', await volumeBench()) }\n`);
  }
}

main().catch((e) => {
  process.stderr.write(`bench: ${ e instanceof Error ? e.message : String(e) }\n`);
  process.exitCode = 1;
});
