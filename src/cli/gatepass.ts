#!/usr/bin/env node
/**
 * `gatepass`, the package's command (`npx gatepass token …`, `npx gatepass audit …`): the same
 * commands as `npm run token` and `npm run audit` in this repository, compiled to JavaScript so
 * that a project that installed the package runs them on plain Node (no TypeScript loader).
 */
import { runAuditCli } from './audit-command.js';
import { runTokenCli } from './token.js';

const USAGE = `usage: gatepass <command> [options]

  gatepass token [mint] [--sub u1] [--scope "a b"] [--role r]... [--ttl 300]   mint a dev token (AUTH_ISSUER unset)
  gatepass token inspect [<token>] [--schema <file>]...                        check a token against the AUTH_* configuration
  gatepass audit <schema.graphql>... [--json | --markdown] [--fail-on …]        the @auth coverage audit of SDL files

Each command prints its own options with --help.`;

/** Runs one command line; resolves the exit code (2: unknown command). */
export async function runGatepassCli(argv: readonly string[]): Promise<number> {
  const [command, ...args] = argv;
  if (command === 'token') return runTokenCli(args);
  if (command === 'audit') {
    return runAuditCli(args, { stdout: (text) => process.stdout.write(text), stderr: (text) => process.stderr.write(text) });
  }
  const help = command === '--help' || command === '-h' || command === 'help';
  (help ? process.stdout : process.stderr).write(`${command === undefined || help ? '' : `gatepass: unknown command "${command}"\n`}${USAGE}\n`);
  return help ? 0 : 2;
}

process.exitCode = await runGatepassCli(process.argv.slice(2));
