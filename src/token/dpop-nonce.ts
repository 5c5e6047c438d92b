/**
 * Server-issued DPoP nonces: a random value, rotated on a fixed period; a proof must carry the
 * current one or the one before it (so a rotation between two requests costs no retry).
 * @see RFC 9449 §8 (resource server-provided nonce), §9 (`DPoP-Nonce`)
 */
import { randomBytes } from 'node:crypto';

/** Options of {@link createDpopNonces}. */
export interface DpopNonceOptions {
  /** Seconds a nonce is the current one; it stays accepted one more period. @default 60 */
  readonly rotateSeconds?: number;
  /** Clock, ms since the epoch. @default Date.now */
  readonly now?: () => number;
}

/** The nonces of one server. */
export interface DpopNonces {
  /** The nonce clients should use now (sent in `DPoP-Nonce`). */
  current(): string;
  /** True when `nonce` is the current or the previous nonce. */
  accepts(nonce: string | undefined): boolean;
}

/**
 * Creates a nonce source. Nonces are per process: behind a load balancer without affinity a
 * client may be asked once per instance (RFC 9449 §8 lets the server choose).
 *
 * @example
 * ```ts
 * const nonces = createDpopNonces();
 * if (!nonces.accepts(proof.nonce)) throw new UseDpopNonceError(nonces.current());
 * ```
 */
export function createDpopNonces(options: DpopNonceOptions = {}): DpopNonces {
  const now = options.now ?? Date.now;
  const periodMs = (options.rotateSeconds ?? 60) * 1000;
  let period = Math.floor(now() / periodMs);
  let current = fresh();
  let previous: string | undefined;
  const rotate = (): void => {
    const at = Math.floor(now() / periodMs);
    if (at === period) return;
    // After a gap of more than one period, the old "current" is too old to keep.
    previous = at === period + 1 ? current : undefined;
    current = fresh();
    period = at;
  };
  return {
    current() {
      rotate();
      return current;
    },
    accepts(nonce) {
      rotate();
      return nonce !== undefined && (nonce === current || nonce === previous);
    },
  };
}

/** 128 random bits, base64url: unguessable, and only `NQCHAR`s (RFC 9449 §8.1). */
function fresh(): string {
  return randomBytes(16).toString('base64url');
}
