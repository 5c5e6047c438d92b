/**
 * The authority each open WebSocket still holds, and the end of it: a socket's principal stays
 * valid only while its token would still be accepted. A timer per socket closes it when the
 * token's `exp` (plus the clock tolerance) passes; a revocation anywhere in the fleet makes every
 * socket re-ask the revocation store, and the revoked ones close. No polling per event.
 * @see RFC 7009 §2; RFC 7519 §4.1.4 (`exp`); README "Subscriptions"
 */
import type { WebSocket } from 'ws';
import type { Logger } from '../logger.js';
import type { RevocationStore } from '../revocation/store.js';
import type { Principal } from '../token/principal.js';
import { SOCKET_CLOSES, type SocketClose } from './close-codes.js';

/** Options of {@link LiveConnections}. */
export interface LiveConnectionsOptions {
  /** Sockets held at once; {@link LiveConnections.admit} refuses beyond. */
  readonly maxConnections: number;
  /** The verifier's tolerance: a token is accepted until `exp` + this. */
  readonly clockToleranceSeconds: number;
  /** Told of every revocation (`onRevocation`) and asked again for each open socket. */
  readonly revocation?: Pick<RevocationStore, 'isRevoked' | 'onRevocation'> | undefined;
  readonly logger: Logger;
  /** @default Date.now */
  readonly now?: () => number;
}

interface Held {
  principal: Principal | null;
  timer: NodeJS.Timeout | undefined;
}

/** setTimeout's longest delay (2^31 - 1 ms, ≈ 24.8 days); a longer one is re-armed. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * The open sockets of one process, with their principals.
 *
 * @example
 * ```ts
 * const live = new LiveConnections({ maxConnections: 10_000, clockToleranceSeconds: 30, revocation, logger });
 * if (!live.admit(socket)) socket.close(4429, 'too many connections');
 * ```
 */
export class LiveConnections {
  private readonly held = new Map<WebSocket, Held>();
  private readonly now: () => number;
  private readonly stopListening: (() => void) | undefined;
  private revocations = 0;
  private sweepQueued = false;

  constructor(private readonly options: LiveConnectionsOptions) {
    this.now = options.now ?? Date.now;
    this.stopListening = options.revocation?.onRevocation?.(() => {
      this.revocations++;
      // One sweep per burst: a reload that applies thousands of records checks each socket once.
      if (this.sweepQueued) return;
      this.sweepQueued = true;
      setImmediate(() => {
        this.sweepQueued = false;
        for (const [socket, held] of this.held) this.recheck(socket, held);
      });
    });
  }

  /** Sockets held now. */
  get size(): number {
    return this.held.size;
  }

  /** Takes a new socket (anonymous until {@link hold}); false when the process is full. */
  admit(socket: WebSocket): boolean {
    if (this.held.size >= this.options.maxConnections) return false;
    this.held.set(socket, { principal: null, timer: undefined });
    socket.once('close', () => this.release(socket));
    return true;
  }

  /** How many revocations were heard so far: taken before authenticating, given to {@link hold}. */
  revocationMark(): number {
    return this.revocations;
  }

  /**
   * Gives an admitted socket its principal and arms its expiry. A revocation heard since `mark`
   * (while the token was being verified) may postdate the verifier's check: ask again.
   * Returns false when the socket is already gone.
   */
  hold(socket: WebSocket, principal: Principal, mark: number): boolean {
    const held = this.held.get(socket);
    if (held === undefined || socket.readyState !== socket.OPEN) return false;
    held.principal = principal;
    this.arm(socket, held, principal.expiresAt.getTime() + this.options.clockToleranceSeconds * 1000);
    if (mark !== this.revocations) this.recheck(socket, held);
    return true;
  }

  /** The principal of a socket, `null` for an anonymous (or unknown) one. */
  principalOf(socket: WebSocket): Principal | null {
    return this.held.get(socket)?.principal ?? null;
  }

  /** Closes every socket with `close`; resolves when all are closed (terminated after `graceMs`). */
  async closeAll(close: SocketClose, graceMs = 1_000): Promise<void> {
    this.stopListening?.();
    const sockets = [...this.held.keys()];
    await Promise.all(sockets.map((socket) => new Promise<void>((resolve) => {
      if (socket.readyState === socket.CLOSED) return resolve();
      // A peer that never answers the close frame must not hold the shutdown.
      const timer = setTimeout(() => socket.terminate(), graceMs);
      socket.once('close', () => {
        clearTimeout(timer);
        resolve();
      });
      socket.close(close.code, close.reason);
    })));
  }

  private arm(socket: WebSocket, held: Held, deadlineMs: number): void {
    const delay = deadlineMs - this.now();
    held.timer = setTimeout(() => {
      if (deadlineMs > this.now()) return this.arm(socket, held, deadlineMs);
      this.end(socket, SOCKET_CLOSES.tokenExpired);
    }, Math.max(0, Math.min(delay, MAX_TIMER_MS)));
    held.timer.unref();
  }

  private recheck(socket: WebSocket, held: Held): void {
    const { principal } = held;
    const revocation = this.options.revocation;
    if (principal === null || revocation === undefined) return;
    Promise.resolve()
      .then(() => revocation.isRevoked(principal))
      .then(
        (revoked) => {
          if (revoked) this.end(socket, SOCKET_CLOSES.tokenRevoked);
        },
        // Cannot tell now (Redis lost): the next revocation or the expiry will. A close here
        // would drop every socket of the fleet on each Redis blip.
        (error: unknown) => this.options.logger.debug({ err: error }, 'revocation recheck of an open socket failed'),
      );
  }

  private end(socket: WebSocket, close: SocketClose): void {
    const principal = this.held.get(socket)?.principal;
    this.options.logger.info({ code: close.code, reason: close.reason, subject: principal?.subject ?? null }, 'websocket closed by the server');
    socket.close(close.code, close.reason);
  }

  private release(socket: WebSocket): void {
    clearTimeout(this.held.get(socket)?.timer);
    this.held.delete(socket);
  }
}
