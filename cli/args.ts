/**
 * A subcommand's arguments, read by `node:util` parseArgs in strict mode with the options the command declares:
 * an unknown option, a boolean given a value, a value-taking option without one, an option given twice or the
 * wrong number of operands is refused with one line (exit 2). Every command also takes `--help`.
 */
import { parseArgs } from 'node:util';
import { CliError, Io } from './io';

/** The options a command declares: each takes a string value or is a boolean switch. */
export type Options = Record<string, { type: 'string' | 'boolean' }>;

/** The parsed arguments: option values by name (absent when not given) and the operands. */
export interface Args<T extends Options> {
  values: { [K in keyof T]?: T[K]['type'] extends 'boolean' ? boolean : string };
  positionals: string[];
}

/** A subcommand of `audit-policy`, ready to run on the arguments after its name. */
export interface Command {
  /** Its usage line, without the leading `audit-policy `. */
  usage: string;
  /** What it does and its exit codes, in one line (for `audit-policy --help`). */
  summary: string;
  run: (argv: string[], io: Io) => Promise<number>;
}

/** The first quoted option name in one of parseArgs' messages (`Unknown option '--bogus'. ...`). */
function optionIn(message: string): string {
  return /'(-[^' ]*)/.exec(message)?.[1] ?? '';
}

/** Parses `argv` as `usage` says: `operands` positional arguments and the declared `options`. */
export function parseCommand<T extends Options>(argv: string[], usage: string, options: T, operands: number): Args<T> & { help: boolean } {
  let parsed;

  try {
    parsed = parseArgs({
      args: argv, options: { ...options, help: { type: 'boolean' } }, strict: true, allowPositionals: true, tokens: true
    });
  } catch (e) {
    const { code, message } = e as NodeJS.ErrnoException;

    if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
      throw new CliError(`unknown option ${ optionIn(message) }; usage: audit-policy ${ usage }`, 2);
    }
    throw new CliError(message.replace(/\s*\n\s*/g, ' '), 2);
  }
  const seen = new Set<string>();

  for (const token of parsed.tokens ?? []) {
    if (token.kind === 'option') {
      if (seen.has(token.name)) {
        throw new CliError(`option --${ token.name } is given more than once`, 2);
      }
      seen.add(token.name);
    }
  }
  const help = (parsed.values as Record<string, unknown>).help === true;

  if (!help && parsed.positionals.length !== operands) {
    throw new CliError(`usage: audit-policy ${ usage }`, 2);
  }

  return {
    values: parsed.values as Args<T>['values'], positionals: parsed.positionals, help
  };
}

/** A command: parses its arguments, answers `--help` with its usage line, then runs `handler`. */
export function command<T extends Options>(usage: string, summary: string, options: T, operands: number, handler: (args: Args<T>, io: Io) => Promise<number>): Command {
  return {
    usage,
    summary,
    run: async(argv, io) => {
      const args = parseCommand(argv, usage, options, operands);

      if (args.help) {
        io.stdout(`usage: audit-policy ${ usage }\n`);

        return 0;
      }

      return handler(args, io);
    },
  };
}
