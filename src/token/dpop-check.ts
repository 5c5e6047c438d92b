/**
 * The DPoP side of one request: exactly one proof, made for this request's method and URL and
 * for this token, fresh, carrying the server nonce when nonces are on, and never seen before.
 * Yields the proof key's thumbprint, which the token's `cnf.jkt` must equal (token-binding.ts).
 * @see RFC 9449 §4.3, §7.1, §8, §11.1
 */
import type { DpopOptions } from '../config/dpop-config.js';
import { dpopEnabled, dpopModeFor, type DpopMode } from '../config/dpop-config.js';
import type { DpopChallengeOptions } from '../challenge.js';
import { InvalidDpopProofError, UseDpopNonceError } from '../errors.js';
import { verifyDpopProof } from './dpop-proof.js';
import { createDpopNonces, type DpopNonces } from './dpop-nonce.js';
import { createMemoryDpopReplayStore, dpopReplayKey, type DpopReplayStore } from './dpop-replay.js';
import type { Credentials } from './extract.js';

/** Collaborators of {@link createDpopCheck}. */
export interface DpopCheckDeps {
  /** The server's own base URL once listening, used when `publicUrl` is not configured. */
  readonly baseUrl: () => string | URL | undefined;
  /** Shared through Redis in a fleet. @default an in-memory store */
  readonly replay?: DpopReplayStore | undefined;
  /** @default a rotating source when `options.nonce` */
  readonly nonces?: DpopNonces | undefined;
  /** Skew allowed for a proof `iat` in the future, seconds. @default 30 */
  readonly clockToleranceSeconds?: number | undefined;
  /** Clock, ms since the epoch. @default Date.now */
  readonly now?: (() => number) | undefined;
}

/**
 * DPoP as one request's authentication sees it; also what the challenges say (RFC 9449 §7.1
 * `algs`, whether Bearer is still offered), so it serves as `ChallengeOptions.dpop`.
 */
export interface DpopCheck extends DpopChallengeOptions {
  /** The mode of an issuer (`off`, `allowed`, `required`). */
  modeFor(issuer: string): DpopMode;
  /**
   * Checks the request's proof for `accessToken` and records it; resolves the proof key's
   * RFC 7638 thumbprint.
   * @throws {InvalidDpopProofError} | {UseDpopNonceError} | {TokenServiceUnavailableError}
   */
  proofKey(credentials: Credentials, accessToken: string): Promise<string>;
}

/**
 * Builds the DPoP check of a configuration; `undefined` when no issuer accepts DPoP.
 *
 * @example
 * ```ts
 * const dpop = createDpopCheck(config.token.dpop, { baseUrl: () => server.baseUrl });
 * await authenticate(credentialsOf(req), { verifier, dpop });
 * ```
 * @see RFC 9449 §4.3
 */
export function createDpopCheck(options: DpopOptions | undefined, deps: DpopCheckDeps): DpopCheck | undefined {
  if (!options || !dpopEnabled(options)) return undefined;
  const replay = deps.replay ?? createMemoryDpopReplayStore({ now: deps.now });
  const nonces = options.nonce ? (deps.nonces ?? createDpopNonces({ now: deps.now })) : undefined;
  const tolerance = deps.clockToleranceSeconds ?? 30;
  // A proof is acceptable from iat - tolerance until iat + maxAge + tolerance: remember it as long.
  const replayTtl = options.proofMaxAgeSeconds + 2 * tolerance;
  const modes = [options.mode, ...Object.values(options.issuerModes)];
  return {
    modeFor: (issuer) => dpopModeFor(options, issuer),
    algorithms: options.algorithms,
    bearer: modes.some((mode) => mode !== 'required'),
    async proofKey(credentials, accessToken) {
      const proofs = typeof credentials.dpop === 'string' ? [credentials.dpop] : (credentials.dpop ?? []);
      // §4.3 check 1: exactly one DPoP header (read from raw headers: Node would join two).
      if (proofs.length === 0) throw new InvalidDpopProofError('missing');
      if (proofs.length > 1 || proofs[0]!.includes(',')) throw new InvalidDpopProofError('multiple');
      // §4.3 check 8 compares `htm` with the request's method: a transport that does not say
      // which it was cannot have the proof matched against a guess.
      if (credentials.method === undefined) throw new InvalidDpopProofError('method');
      const proof = await verifyDpopProof(
        { proof: proofs[0]!.trim(), method: credentials.method, url: requestUrl(options.publicUrl ?? deps.baseUrl(), credentials.url), accessToken },
        { algorithms: options.algorithms, maxAgeSeconds: options.proofMaxAgeSeconds, clockToleranceSeconds: tolerance, now: deps.now },
      );
      // §8: without the current nonce, the client is told which to use, and retries.
      if (nonces && !nonces.accepts(proof.nonce)) throw new UseDpopNonceError(nonces.current());
      // §4.3 check 11 / §11.1: last, so only a proof that passed everything else is remembered.
      if (!(await replay.claim(dpopReplayKey(proof.jkt, proof.jti), replayTtl))) throw new InvalidDpopProofError('replayed');
      return proof.jkt;
    },
  };
}

/**
 * The URL the client addressed: the public base (scheme, host, optional path prefix) and the
 * request's path; the query is dropped (§4.3 check 9 ignores it).
 */
function requestUrl(base: string | URL | undefined, target: string | undefined): URL {
  const root = new URL(base ?? 'http://invalid.invalid');
  const path = (target ?? '/').split('?')[0]!;
  const prefix = root.pathname.endsWith('/') ? root.pathname.slice(0, -1) : root.pathname;
  return new URL(`${prefix}${path.startsWith('/') ? path : `/${path}`}`, root.origin);
}
