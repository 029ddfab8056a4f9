/**
 * The `audit-policy` CLI: the same engine the Audit Log tab uses, for GitOps users and CI pipelines.
 * `run` is the whole program minus process wiring (cli/audit-policy.ts), so tests drive it in-process.
 */
import { Command } from './args';
import { check, estimate, lint, match } from './commands';
import { CliError, Io, oneLine } from './io';
import { render } from './render';
import { report } from './report';
import { checkWebhook } from './webhook';

const COMMANDS = new Map<string, Command>(Object.entries({
  check, lint, match, estimate, render, report, 'check-webhook': checkWebhook
}));

/** `audit-policy --help`: every command's usage line and summary. */
export const USAGE = [
  'usage: audit-policy <command> [options]',
  '',
  ...[...COMMANDS.values()].map((c) => `  ${ c.usage }\n      ${ c.summary }`),
  '',
  'FILE may be - for standard input. COMMAND --help prints its usage. Exit 2: usage error or unreadable input.',
].join('\n');

const ONE_LINE_USAGE = `usage: audit-policy <command> [options]; commands: ${ [...COMMANDS.keys()].join(', ') }; audit-policy --help for more`;

/**
 * Runs the CLI; returns the exit code. Never throws: bad input gets one line on stderr (exit 1 or 2); anything
 * else is reported as an internal error on one line, never as a stack trace.
 */
export async function run(argv: string[], io: Io): Promise<number> {
  const [name, ...rest] = argv;

  if (name === '--help' || name === '-h' || name === 'help') {
    io.stdout(`${ USAGE }\n`);

    return 0;
  }
  const cmd = name === undefined ? undefined : COMMANDS.get(name);

  if (!cmd) {
    io.stderr(`audit-policy: ${ name === undefined ? '' : `unknown command ${ JSON.stringify(name) }; ` }${ ONE_LINE_USAGE }\n`);

    return 2;
  }
  try {
    return await cmd.run(rest, io);
  } catch (e) {
    if (e instanceof CliError) {
      io.stderr(`audit-policy: ${ oneLine(e.message) }\n`);

      return e.code;
    }
    io.stderr(`audit-policy: internal error in ${ name }, please report it: ${ oneLine(e instanceof Error ? e.message : String(e)) }\n`);

    return 2;
  }
}
