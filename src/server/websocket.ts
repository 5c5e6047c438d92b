/**
 * The WebSocket adapter over {@link authenticate}: graphql-ws (the `graphql-transport-ws`
 * protocol, what Apollo Client's `GraphQLWsLink`, urql and graphql-ws's own client speak) on the
 * HTTP(S) server's own port and path. The token comes from `connectionParams.Authorization` at
 * `connection_init` and goes through the one door; each operation runs under that principal with
 * the schema's field guards, per event; the socket closes when the token stops being valid.
 * @see README "Subscriptions"; https://github.com/enisdenjo/graphql-ws/blob/master/PROTOCOL.md
 */
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { GraphQLError, type GraphQLSchema } from 'graphql';
import { useServer, type Extra } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import type { EnforcementMode } from '../config/config.js';
import type { WebSocketLimits } from '../config/websocket-config.js';
import { takeDryRunDenials } from '../directive/request/dry-run-denials.js';
import type { Logger } from '../logger.js';
import type { RevocationStore } from '../revocation/store.js';
import { authenticate, type RefusalCounter } from '../token/authenticate.js';
import type { TokenVerifier } from '../token/verify.js';
import type { ClientCertificateOptions } from '../config/client-certificate-config.js';
import { closeForAuthError, SOCKET_CLOSES } from './close-codes.js';
import { certificateThumbprintOf } from './client-certificate.js';
import { connectCredentials } from './connect-credentials.js';
import { LiveConnections } from './live-connections.js';
import { prepareOperation } from './subscription-operation.js';

/** Options of {@link attachWebSocketTransport}. */
export interface WebSocketTransportOptions {
  /** The schema served, already through `authDirectiveTransformer` (the HTTP path's own). */
  readonly schema: GraphQLSchema;
  readonly verifier: Pick<TokenVerifier, 'verify'>;
  readonly logger: Logger;
  readonly failures?: RefusalCounter | undefined;
  /** Open sockets re-check their token against it on every revocation. */
  readonly revocation?: Pick<RevocationStore, 'isRevoked' | 'onRevocation'> | undefined;
  readonly limits: WebSocketLimits;
  /** The verifier's clock tolerance: a socket closes at `exp` + this. */
  readonly clockToleranceSeconds: number;
  /** Client certificates (RFC 8705): a certificate-bound token connects over its own mTLS connection only. */
  readonly clientCertificates?: ClientCertificateOptions | undefined;
  /** @default the mode the schema was transformed with */
  readonly mode?: EnforcementMode | undefined;
  /** @default '/graphql' */
  readonly path?: string;
}

/** The running transport. */
export interface WebSocketTransport {
  /** Sockets open now. */
  readonly connections: number;
  /** Closes every socket with 1001 and stops accepting upgrades; resolves once all are closed. */
  close(): Promise<void>;
}

/**
 * Serves graphql-ws on `httpServer` (http or https: TLS is the listener's business).
 *
 * @example
 * ```ts
 * const ws = attachWebSocketTransport(httpServer, { schema, verifier, logger, limits: DEFAULT_WEBSOCKET_LIMITS, clockToleranceSeconds: 30 });
 * // …
 * await ws.close(); // before the HTTP server's own close
 * ```
 */
export function attachWebSocketTransport(httpServer: Server, options: WebSocketTransportOptions): WebSocketTransport {
  const { logger, limits } = options;
  const path = options.path ?? '/graphql';
  const wss = new WebSocketServer({ noServer: true, maxPayload: limits.maxPayloadBytes });
  const live = new LiveConnections({ maxConnections: limits.maxConnections, clockToleranceSeconds: options.clockToleranceSeconds, revocation: options.revocation, logger });
  let closing = false;

  const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer): void => {
    if (new URL(req.url ?? '/', 'http://localhost').pathname !== path) {
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      // Closed after the handshake, not refused in it: only an open socket can carry a close code.
      if (closing) return ws.close(SOCKET_CLOSES.shuttingDown.code, SOCKET_CLOSES.shuttingDown.reason);
      if (!live.admit(ws)) return ws.close(SOCKET_CLOSES.tooManyConnections.code, SOCKET_CLOSES.tooManyConnections.reason);
      wss.emit('connection', ws, req);
      // graphql-ws prints socket errors with console.error; ws has already failed the socket
      // (an oversized message is closed 1009 by ws itself), so a debug line in our log is enough.
      ws.removeAllListeners('error');
      ws.on('error', (error) => logger.debug({ err: error }, 'websocket error'));
    });
  };
  httpServer.on('upgrade', onUpgrade);

  useServer(
    {
      // Never an internal error's message in a close reason, whatever NODE_ENV says.
      isProd: true,
      connectionInitWaitTimeout: limits.initTimeoutMs,
      async onConnect(ctx) {
        const { socket, request } = ctx.extra;
        // RFC 8705 §3: the upgrade's connection certificate binds like an HTTP request's; DPoP
        // is not defined for WebSockets, so a DPoP-bound token is refused here.
        const credentials = connectCredentials(ctx.connectionParams, request.url, certificateThumbprintOf(request, options.clientCertificates));
        // graphql-ws then closes with 4403, which ws ignores: the socket is already closing.
        if (credentials === undefined) return refuse(socket, SOCKET_CLOSES.malformedParams);
        const mark = live.revocationMark();
        const result = await authenticate(credentials, options);
        if (result.kind === 'failure') return refuse(socket, closeForAuthError(result.error));
        if (result.kind === 'principal' && !live.hold(socket, result.principal, mark)) return false;
        return true;
      },
      onSubscribe(ctx, _id, payload) {
        if (Object.keys(ctx.subscriptions).length > limits.maxSubscriptionsPerConnection) {
          refuse(ctx.extra.socket, SOCKET_CLOSES.tooManySubscriptions);
          // Errors, not `[]`: graphql-ws takes an empty array for a broken hook and logs it.
          return [new GraphQLError(SOCKET_CLOSES.tooManySubscriptions.reason)];
        }
        return prepareOperation(payload, live.principalOf(ctx.extra.socket), { schema: options.schema, mode: options.mode, logger });
      },
      onNext(_ctx, _id, _payload, args, result) {
        // dry-run: each event reports its own would-be denials, as each HTTP response does.
        const { denials, omitted } = takeDryRunDenials(args.contextValue);
        if (denials.length === 0) return;
        const report = { authDryRun: denials, ...(omitted > 0 ? { authDryRunOmitted: omitted } : {}) };
        return { ...result, errors: result.errors?.map((e) => e.toJSON()), extensions: { ...result.extensions, ...report } };
      },
    },
    wss,
  );

  return {
    get connections() {
      return live.size;
    },
    async close() {
      closing = true;
      httpServer.off('upgrade', onUpgrade);
      await live.closeAll(SOCKET_CLOSES.shuttingDown);
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}

/** Closes with the table's code and tells graphql-ws not to acknowledge. */
function refuse(socket: Extra['socket'], close: { readonly code: number; readonly reason: string }): false {
  socket.close(close.code, close.reason);
  return false;
}
