import { resolve } from 'node:path';
import { text } from 'node:stream/consumers';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import type { GatepassConfig } from '../config/config.js';
import { ConfigError } from '../config/config-error.js';
import { loadConfig } from '../config/load-config.js';
import { silentLogger } from '../logger.js';
import { devTokenPolicy, openDevIssuer } from '../dev/dev-issuer.js';
import { createIssuerKeySet } from '../token/keys.js';
import { createTokenVerifier } from '../token/verify.js';
import { formatInspection, formatSchemaAccess } from './format-inspection.js';
import { loadSchemaFiles } from './load-schema-files.js';
import { schemaAccess } from './schema-access.js';
import { inspectToken } from './inspect-token.js';
import { inspectDpopProof } from './inspect-dpop-proof.js';

/** Proof checks when the configuration has no DPoP options (a library-built config). */
const DPOP_DEFAULTS = { algorithms: ['ES256', 'PS256', 'RS256', 'EdDSA'], proofMaxAgeSeconds: 300 } as const;

const USAGE = `usage:
  npm run token -- [mint] [--sub u1] [--scope "read:user read:email"] [--role moderator]... [--ttl 300] [--client-id id]
      mints an access token signed by the dev issuer (dev mode only: AUTH_ISSUER unset)
  npm run token -- inspect [<token>] [--schema <file>]... [--dpop-proof <proof> --method POST --url <url>]
      checks a token against the configuration in effect (dev, or the AUTH_* environment);
      with --schema, lists the fields this token may and may not read, and why;
      with --dpop-proof, checks the proof line by line (RFC 9449 §4.3) and judges a DPoP-bound
      token as presented with it (the token from stdin when not given);
      exits 0 only when the API would accept it`;

/** `npm run token`: mint a dev token, or inspect any token against the configuration in effect. */
async function main(argv: readonly string[]): Promise<number> {
  const [command, ...rest] = argv[0] === 'mint' || argv[0] === 'inspect' ? argv : ['mint', ...argv];
  if (rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const config = loadConfig(process.env);
  return command === 'inspect' ? inspect(config, rest) : mint(config, rest);
}

async function mint(config: GatepassConfig, args: readonly string[]): Promise<number> {
  const { values } = parseArgs({
    args: [...args],
    options: {
      sub: { type: 'string', default: 'u1' },
      scope: { type: 'string', default: '' },
      role: { type: 'string', multiple: true, default: [] },
      ttl: { type: 'string', default: '300' },
      'client-id': { type: 'string', default: 'gatepass-dev-cli' },
    },
    strict: true,
  });
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

async function inspect(config: GatepassConfig, args: readonly string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args: [...args],
    options: {
      schema: { type: 'string', multiple: true, default: [] },
      'dpop-proof': { type: 'string' },
      method: { type: 'string' },
      url: { type: 'string' },
    },
    allowPositionals: true,
    strict: true,
  });
  // Build the schema first: a bad schema file is a usage error, reported before any network.
  const schema = values.schema.length > 0 ? loadSchemaFiles(values.schema) : undefined;
  const token = (positionals[0] ?? (await text(process.stdin))).trim();
  if (!token) {
    process.stderr.write(`gatepass token: no token given\n${USAGE}\n`);
    return 2;
  }
  const logger = silentLogger();
  const dev = config.mode === 'dev' ? await openDevIssuer(config.devKeyDir) : undefined;
  const policy = dev ? devTokenPolicy(config.token) : config.token;
  const verifier = createTokenVerifier(policy, { logger, ...(dev ? { keySet: dev.keySet } : {}) });
  const keySets = dev ? [] : policy.issuers.map((issuer) => [issuer, createIssuerKeySet(issuer, policy, { logger })] as const);
  try {
    await Promise.all([verifier.warmUp(), ...keySets.map(([, keys]) => keys.warmUp())]);
    const proof = values['dpop-proof']?.trim();
    const dpop = proof
      ? await inspectDpopProof(proof, { token, method: values.method, url: values.url, dpop: policy.dpop ?? DPOP_DEFAULTS, clockToleranceSeconds: policy.clockToleranceSeconds })
      : undefined;
    const inspected = await inspectToken(token, {
      policy,
      verifier,
      keysOf: (issuer) => dev?.keySet ?? keySets.find(([name]) => name === issuer)?.[1].getKey,
      ...(dpop ? { presentation: { scheme: 'DPoP' as const, proofKey: dpop.proofKey } } : {}),
    });
    const report = dpop ? { ...inspected, checks: [...inspected.checks, ...dpop.checks] } : inspected;
    process.stdout.write(formatInspection(report, { mode: config.mode }));
    if (schema) process.stdout.write(formatSchemaAccess(schemaAccess(schema, report.accepted ? (report.principal ?? null) : null, config.enforcement.defaultPolicy), report.accepted));
    return report.accepted ? 0 : 1;
  } finally {
    verifier.close();
    for (const [, keys] of keySets) keys.close();
  }
}

/**
 * Runs the token command (`mint`, the default, or `inspect`); resolves the exit code: 0 ok,
 * 1 a token the API would refuse, 2 a usage or configuration error.
 *
 * @example
 * ```ts
 * process.exitCode = await runTokenCli(['inspect', token]);
 * ```
 */
export async function runTokenCli(argv: readonly string[]): Promise<number> {
  try {
    return await main(argv);
  } catch (error) {
    const known = error instanceof ConfigError || (error instanceof TypeError && 'code' in error);
    process.stderr.write(`gatepass token: ${known ? (error as Error).message : String(error)}\n${USAGE}\n`);
    return 2;
  }
}

// Run only as the entry point (`npm run token`), not when `gatepass token` imports it.
if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  process.exitCode = await runTokenCli(process.argv.slice(2));
}
