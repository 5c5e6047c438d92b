import { ConfigError } from '../config/config-error.js';
import { loadConfig } from '../config/load-config.js';
import { RedisUnavailableError } from '../fleet/redis-connection.js';
import { createServer, type CreateServerOptions } from './app.js';
import { devBanner } from './banner.js';

/** What differs between the servers `npm start` and `npm run subgraph` run. */
export interface RunServerOptions {
  /** The schema, or the factory `createServer` builds it with. */
  readonly schema: CreateServerOptions['schema'];
  /** The operation the dev-mode banner's `curl` sends. @default the example API's viewer and users */
  readonly bannerQuery?: string;
}

/**
 * Runs a gatepass server as a process (`npm start`, `npm run subgraph`). Invalid configuration
 * stops it here, with every problem named at once and exit 78; so does a REDIS_URL whose Redis
 * cannot be reached (exit 69: a fleet member that cannot see the shared revocation list would
 * only answer 503). SIGTERM and SIGINT drain in-flight requests, close the Redis connections and
 * exit 0.
 *
 * @example
 * ```ts
 * await runServer({ schema: exampleServerSchema });
 * ```
 */
export async function runServer(options: RunServerOptions): Promise<void> {
  let config;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`gatepass: ${error.message}\n`);
      process.exit(78); // EX_CONFIG
    }
    throw error;
  }
  let server;
  try {
    server = await createServer(config, { schema: options.schema });
  } catch (error) {
    if (error instanceof RedisUnavailableError) {
      process.stderr.write(`gatepass: ${error.message}\n`);
      process.exit(69); // EX_UNAVAILABLE
    }
    throw error;
  }
  const url = await server.listen();
  if (server.devIssuer) {
    const token = await server.devIssuer.mint({ sub: 'u1', scope: 'read:user read:email', ttlSeconds: 3600 });
    process.stderr.write(devBanner(url, token, options.bannerQuery));
  }
  server.logger.info({ url, mode: config.mode, issuers: config.token.issuers }, 'gatepass listening');

  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    server.logger.info({ signal }, 'shutting down: finishing in-flight requests');
    server.close().then(
      () => process.exit(0),
      (error: unknown) => {
        server.logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}
