/**
 * `yarn stand-in [--port 8989] [--host 127.0.0.1] [--verbose]`: runs the Rancher API stand-in until killed.
 * Prints one line: `stand-in listening on <url>`.
 */
import { createStandIn } from './server';
import { USERS } from './types';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${ name }`);

  return i > 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}

async function main(): Promise<void> {
  const standIn = await createStandIn({
    port:    Number(arg('port', process.env.STAND_IN_PORT || '8989')),
    host:    arg('host', '127.0.0.1'),
    verbose: process.argv.includes('--verbose'),
  });

  process.stdout.write(`stand-in listening on ${ standIn.url }\n`);
  process.stdout.write(`logins: ${ USERS.map((u) => `${ u.username } / ${ u.password }`).join(', ') }\n`);
  const stop = () => {
    standIn.close().then(() => process.exit(0));
  };

  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((e) => {
  process.stderr.write(`stand-in failed: ${ (e as Error).stack || e }\n`);
  process.exit(1);
});
