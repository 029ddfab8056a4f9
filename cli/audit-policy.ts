#!/usr/bin/env node
/** Entry point of `yarn -s audit-policy`: wires `run` to the process. */
import { run } from './commands';

run(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  stdin:  () => process.stdin,
}).then((code) => {
  process.exitCode = code;
});
