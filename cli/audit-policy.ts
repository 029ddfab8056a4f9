#!/usr/bin/env node
/**
 * Entry point of the `audit-policy` bin (compiled into dist-cli/ by cli/build.mjs): wires `run` to the process.
 * A reader that closes standard output early (`| head`) ends the command quietly, as it ends other Unix tools:
 * with the command's exit code when it had finished, else 0.
 */
import { run } from './run';

process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') {
    process.exit(process.exitCode ?? 0);
  }
  process.stderr.write(`audit-policy: standard output: ${ e.message }\n`);
  process.exit(2);
});

run(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  stdin:  () => process.stdin,
}).then((code) => {
  process.exitCode = code;
});
