/**
 * Child process entry: one HTTP server of the HTTP scenario, alone in its process. Reports its
 * URL, then its memory (`process.memoryUsage`) every 250 ms over IPC.
 *
 * Kinds: `gatepass` (the reference server, dev mode), `noauth` (Apollo + the reference request
 * listener over the example API without the transformer, no token check), `jose-plain` and
 * `gatepass-nocache` (see plain-servers.ts), `gatepass-prod` (production mode; issuer, audience
 * and JWKS URI from the environment), `yoga-noauth` and `yoga-gatepass` (see yoga-servers.ts).
 */
import { loadConfig } from '../../src/config/load-config.js';
import { openDevIssuer } from '../../src/dev/dev-issuer.js';
import { createServer } from '../../src/server/app.js';
import { sendToParent } from '../lib/child.js';
import { anonymousContext, guardedExampleSchema, plainJoseContext, startPlainServer, uncachedGatepassContext, unguardedExampleSchema } from './plain-servers.js';
import { devYogaPlugin, startYogaServer } from './yoga-servers.js';
import { exampleServerSchema } from '../../src/example/build-example-schema.js';

/** The kinds of server this entry starts. */
export const SERVER_KINDS = ['gatepass', 'noauth', 'jose-plain', 'gatepass-nocache', 'gatepass-prod', 'yoga-noauth', 'yoga-gatepass'] as const;

/** One of {@link SERVER_KINDS}. */
export type ServerKind = (typeof SERVER_KINDS)[number];

/** Message sent once the server listens. */
export interface ListeningMessage {
  readonly type: 'listening';
  readonly url: string;
}

/** Message sent every 250 ms. */
export interface MemoryMessage {
  readonly type: 'memory';
  readonly rss: number;
  readonly heapUsed: number;
  readonly at: number;
}

async function start(kind: ServerKind): Promise<string> {
  // Warnings only: per-request info lines (refusals) would measure pino, not authentication.
  const env = { ...process.env, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn', LANDING_PAGE: 'false' };
  if (kind === 'gatepass-prod') return (await createServer(loadConfig(env), { schema: exampleServerSchema })).listen();
  const devConfig = loadConfig({ ...env, AUTH_ISSUER: '', AUTH_AUDIENCE: '', NODE_ENV: 'development' });
  if (kind === 'gatepass') return (await createServer(devConfig, { schema: exampleServerSchema })).listen();
  if (kind === 'noauth') return startPlainServer(anonymousContext, unguardedExampleSchema());
  if (kind === 'yoga-noauth') return startYogaServer(unguardedExampleSchema(), []);
  const dev = await openDevIssuer(devConfig.devKeyDir);
  if (kind === 'yoga-gatepass') return startYogaServer(guardedExampleSchema(), [devYogaPlugin(dev, devConfig.token)]);
  if (kind === 'jose-plain') return startPlainServer(plainJoseContext(dev, devConfig.token));
  return startPlainServer(uncachedGatepassContext(dev, devConfig.token));
}

const kind = process.argv[2] as ServerKind;
if (!(SERVER_KINDS as readonly string[]).includes(kind)) throw new Error(`unknown server kind ${kind}`);
start(kind).then(
  (url) => {
    sendToParent({ type: 'listening', url });
    setInterval(() => {
      const { rss, heapUsed } = process.memoryUsage();
      sendToParent({ type: 'memory', rss, heapUsed, at: Date.now() });
    }, 250).unref();
  },
  (error: unknown) => {
    sendToParent({ type: 'error', message: error instanceof Error ? (error.stack ?? error.message) : String(error) });
    process.exitCode = 1;
  },
);
process.on('SIGTERM', () => process.exit(0));
process.on('disconnect', () => process.exit(0));
