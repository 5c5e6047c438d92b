import { readFileSync } from 'node:fs';
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { ApolloServer } from '@apollo/server';
import type { GraphQLSchema } from 'graphql';
import type { PubSubEngine } from 'graphql-subscriptions';
import type { GatepassConfig, TokenPolicy } from '../config/config.js';
import type { AuthContext } from '../directive/request/auth-context.js';
import { openEventBus, type EventBus } from '../fleet/open-event-bus.js';
import { openFleet, type Fleet } from '../fleet/open-fleet.js';
import { createLogger, type Logger } from '../logger.js';
import { devTokenPolicy, openDevIssuer, type DevIssuer } from '../dev/dev-issuer.js';
import { createMemoryRevocationStore } from '../revocation/memory-store.js';
import type { RevocationStore } from '../revocation/store.js';
import { createTokenVerifier, type TokenVerifier } from '../token/verify.js';
import { createDpopCheck } from '../token/dpop-check.js';
import { authEnforcementPlugin } from '../directive/enforcement-plugin.js';
import { createAuthContextFunction } from './context.js';
import { withCors } from './cors.js';
import { closeAfterResponseWhenDraining, drainHttpServer } from './drain.js';
import { createRequestListener } from './http-handler.js';
import { guardLandingPage, landingPagePlugin } from './landing-page.js';
import { AuthFailureCounter } from './metrics.js';
import { attachWebSocketTransport } from './websocket.js';
import { protectedResourceMetadata, PROTECTED_RESOURCE_METADATA_PATH } from './resource-metadata.js';
import { operationalRoutes } from './routes.js';

/** What the server has made by the time it builds the schema, for a schema that needs it. */
export interface ServerSchemaDeps {
  readonly config: GatepassConfig;
  readonly logger: Logger;
  /** The store the verifier checks: revocation mutations write here. */
  readonly revocation: RevocationStore;
  /** Subscription events: in process, or Redis pub/sub across the fleet with `REDIS_URL`. */
  readonly events: PubSubEngine;
}

/** Options of {@link createServer} beyond the configuration. */
export interface CreateServerOptions {
  /**
   * The schema served, already through `authDirectiveTransformer`; or a function building it
   * from the server's logger and revocation store (the example API's mutations revoke tokens).
   */
  readonly schema: GraphQLSchema | ((deps: ServerSchemaDeps) => GraphQLSchema);
  /** @default a pino logger at `config.logLevel` on stdout */
  readonly logger?: Logger;
  /** @default an in-memory store (one process), or the fleet's with `REDIS_URL` */
  readonly revocation?: RevocationStore;
}

/** A running (or ready to run) reference server. */
export interface GatepassServer {
  /** Listens on `config.host:config.port` (port 0 picks a free port) and resolves the GraphQL URL. */
  listen(): Promise<string>;
  /** Finishes in-flight requests, refuses new ones, then closes. */
  close(): Promise<void>;
  /** The embedded issuer, in dev mode only. */
  readonly devIssuer: DevIssuer | undefined;
  readonly verifier: TokenVerifier;
  readonly failures: AuthFailureCounter;
  readonly logger: Logger;
}

/**
 * Builds a gatepass server from a validated configuration: the given schema behind the token
 * verifier (the embedded dev issuer in dev mode), health, readiness, metrics and metadata routes.
 *
 * @example
 * ```ts
 * const server = await createServer(loadConfig(process.env), { schema: authDirectiveTransformer(mySchema) });
 * console.log(await server.listen()); // http://127.0.0.1:4000/graphql
 * ```
 */
export async function createServer(config: GatepassConfig, options: CreateServerOptions): Promise<GatepassServer> {
  const logger = options.logger ?? createLogger({ level: config.logLevel });
  const devIssuer = config.mode === 'dev' ? await openDevIssuer(config.devKeyDir) : undefined;
  const policy = devIssuer ? devTokenPolicy(config.token) : config.token;
  // REDIS_URL: revocations and introspection results shared by the fleet (throws RedisUnavailableError).
  const fleet = config.redisUrl && !options.revocation ? await openFleet(config.redisUrl, { logger, staleSeconds: config.redisStaleSeconds }) : undefined;
  const events = await openEventBus(config.redisUrl).catch(async (error: unknown) => {
    await fleet?.close();
    throw error;
  });
  try {
    return await assembleServer(config, options, { logger, devIssuer, policy, fleet, events });
  } catch (error) {
    // Schema, TLS files or a plugin failed after Redis was opened: close it, or its two
    // connections (and the sync's timer) outlive the failed start.
    await Promise.all([fleet?.close(), events.close()]);
    throw error;
  }
}

/** What {@link createServer} prepared before building the rest. */
interface ServerParts {
  readonly logger: Logger;
  readonly devIssuer: DevIssuer | undefined;
  readonly policy: TokenPolicy;
  readonly fleet: Fleet | undefined;
  readonly events: EventBus;
}

/** The rest of {@link createServer}: verifier, schema, HTTP and Apollo servers, routes. */
async function assembleServer(config: GatepassConfig, options: CreateServerOptions, { logger, devIssuer, policy, fleet, events }: ServerParts): Promise<GatepassServer> {
  const revocation = options.revocation ?? fleet?.revocation ?? createMemoryRevocationStore();
  const verifier = createTokenVerifier(policy, {
    logger,
    revocation,
    introspectionCache: fleet?.introspectionCache,
    ...(devIssuer ? { keySet: devIssuer.keySet } : {}),
  });
  const failures = new AuthFailureCounter();
  // RFC 9449: proofs are made for the URL clients call (AUTH_PUBLIC_URL, else our own address).
  const dpop = createDpopCheck(policy.dpop, { baseUrl: () => baseUrl, replay: fleet?.dpopReplay, clockToleranceSeconds: policy.clockToleranceSeconds });
  const schema = typeof options.schema === 'function' ? options.schema({ config, logger, revocation, events: events.pubsub }) : options.schema;

  const clientCa = config.clientCertificates?.caFile;
  const httpServer: Server = config.tls
    ? createHttpsServer({
        cert: readFileSync(config.tls.certFile),
        key: readFileSync(config.tls.keyFile),
        // RFC 8705 §3: ask for a client certificate; a connection without one still serves
        // plain bearer tokens, and only a certificate chaining to TLS_CLIENT_CA binds anything.
        ...(clientCa ? { ca: readFileSync(clientCa), requestCert: true, rejectUnauthorized: false } : {}),
      })
    : createHttpServer();
  const apollo = new ApolloServer<AuthContext>({
    schema,
    logger,
    // main.ts owns SIGTERM/SIGINT (drain, close Redis, exit 0). Apollo's own handler would race
    // it, and a second concurrent stop() in Apollo Server 5 waits on a barrier never resolved.
    stopOnTerminationSignals: false,
    // Stack traces name files and lines of the server: never part of a client's answer.
    includeStacktraceInErrorResponses: false,
    plugins: [
      // First: in `operation` mode it refuses an operation before any other plugin answers it.
      authEnforcementPlugin({ mode: config.enforcement.mode, logger, challenge: { dpop, get resourceMetadata() { return resourceMetadataUrl(); } } }),
      await landingPagePlugin(config, devIssuer, () => graphqlUrl),
    ],
  });
  let baseUrl = '';
  let graphqlUrl = '';
  const resourceMetadataUrl = () => `${baseUrl}${PROTECTED_RESOURCE_METADATA_PATH}`;
  const context = createAuthContextFunction({
    verifier,
    logger,
    failures,
    dpop,
    clientCertificates: config.clientCertificates,
    get resourceMetadata() {
      return resourceMetadataUrl();
    },
  });

  const routes = operationalRoutes({ verifier, fleet, failures, devIssuer, metadata: () => protectedResourceMetadata(policy, baseUrl, config.clientCertificates) });
  const listener = withCors(config.corsOrigins, guardLandingPage(config, () => graphqlUrl, createRequestListener({ apollo, context, routes, logger })));
  httpServer.on('request', (req, res) => {
    closeAfterResponseWhenDraining(httpServer, res);
    listener(req, res);
  });
  // graphql-ws on the same port and path: the same schema, verifier and revocation store.
  const websocket = attachWebSocketTransport(httpServer, {
    schema, verifier, logger, failures, revocation, limits: config.websocket, clockToleranceSeconds: policy.clockToleranceSeconds, mode: config.enforcement.mode,
    clientCertificates: config.clientCertificates,
  });

  return {
    devIssuer,
    verifier,
    failures,
    logger,
    async listen() {
      await apollo.start();
      await new Promise<void>((resolve, reject) => {
        httpServer.once('error', reject);
        httpServer.listen(config.port, config.host, () => resolve());
      });
      const { port } = httpServer.address() as AddressInfo;
      const host = config.host.includes(':') ? `[${config.host}]` : config.host;
      baseUrl = `${config.tls ? 'https' : 'http'}://${host}:${port}`;
      graphqlUrl = `${baseUrl}/graphql`;
      return graphqlUrl;
    },
    async close() {
      // Redis is closed even when the drain fails: an exiting server must not leave its
      // connections open.
      try {
        // Sockets first (1001): an upgraded socket would otherwise hold the listener's close.
        await websocket.close();
        // Then the listener, waiting for in-flight requests (drain.ts), then Apollo.
        await drainHttpServer(httpServer);
        await apollo.stop();
      } finally {
        verifier.close();
        await Promise.all([fleet?.close(), events.close()]);
      }
    },
  };
}
