import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from '../config/load-config.js';
import { openDevIssuer } from '../token/dev-issuer.js';

const USAGE = `usage: npm run token -- [mint] [--sub u1] [--scope "read:user read:email"] [--role moderator]... [--ttl 300] [--client-id id]

Mints an access token signed by the dev issuer (dev mode only: AUTH_ISSUER unset).`;

/** `npm run token`: mint a dev token that the running dev server accepts. */
async function main(argv: readonly string[]): Promise<number> {
  const args = argv[0] === 'mint' ? argv.slice(1) : argv;
  const { values } = parseArgs({
    args: [...args],
    options: {
      sub: { type: 'string', default: 'u1' },
      scope: { type: 'string', default: '' },
      role: { type: 'string', multiple: true, default: [] },
      ttl: { type: 'string', default: '300' },
      'client-id': { type: 'string', default: 'gatepass-dev-cli' },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const config = loadConfig(process.env);
  if (config.mode !== 'dev') {
    process.stderr.write('gatepass token: minting needs dev mode (AUTH_ISSUER unset); get production tokens from your authorization server\n');
    return 2;
  }
  const ttlSeconds = Number(values.ttl);
  if (!Number.isSafeInteger(ttlSeconds) || ttlSeconds < 1 || ttlSeconds > config.token.maxTokenLifetimeSeconds) {
    process.stderr.write(`gatepass token: --ttl must be a whole number of seconds from 1 to ${config.token.maxTokenLifetimeSeconds} (AUTH_MAX_TOKEN_LIFETIME)\n`);
    return 2;
  }
  const issuer = await openDevIssuer(config.devKeyDir);
  const roles = values.role.flatMap((role) => role.split(',')).map((role) => role.trim()).filter(Boolean);
  const token = await issuer.mint({ sub: values.sub, scope: values.scope, roles, ttlSeconds, clientId: values['client-id'] });
  process.stdout.write(`${token}\n`);
  return 0;
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (error) {
  process.stderr.write(`gatepass token: ${error instanceof ConfigError || error instanceof TypeError ? error.message : String(error)}\n${USAGE}\n`);
  process.exitCode = 2;
}
