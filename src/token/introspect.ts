/**
 * Is this opaque token active, and whose is it? RFC 7662 introspection at the authorization
 * server, with a bounded cache that never outlives the token.
 * @see RFC 7662 §2.1 (request), §2.2 (response), §4 (security: cache and exp)
 */
import { LRUCache } from 'lru-cache';
import type { TokenPolicy } from '../config/config.js';
import { InvalidTokenError, TokenServiceUnavailableError, type InvalidTokenReason } from '../errors.js';
import { tokenCacheKey } from './cache.js';
import { readBounded } from './read-bounded.js';
import { judgeIntrospection } from './introspection-response.js';
import type { Principal } from './principal.js';

/** Options of {@link createIntrospector} beyond the policy. */
export interface IntrospectorDeps {
  /** Clock, ms since the epoch. @default Date.now */
  readonly now?: () => number;
  /** Most cached results. @default 10000 */
  readonly maxEntries?: number;
  /** How long an inactive answer is remembered, ms (≤ 5 s keeps a just-issued token usable). @default 5000 */
  readonly inactiveTtlMs?: number;
  /** A cache shared by a fleet (Redis), asked after this process's own; its failures are misses. */
  readonly shared?: SharedIntrospectionCache | undefined;
}

/**
 * One shared introspection result: the response of an active token (judged again on read), or
 * the reason it was refused; never the token itself (entries are keyed by its SHA-256).
 */
export type SharedIntrospectionEntry =
  | { readonly untilMs: number; readonly response: Record<string, unknown> }
  | { readonly untilMs: number; readonly reason: InvalidTokenReason };

/** A cache of introspection results shared between instances (see src/fleet/). */
export interface SharedIntrospectionCache {
  /** The entry for a token key, or `undefined`; may reject (treated as a miss). */
  get(key: string): Promise<SharedIntrospectionEntry | undefined>;
  /** Remembers an entry until its `untilMs`; may reject (ignored). */
  set(key: string, entry: SharedIntrospectionEntry): Promise<void>;
}

/** Introspects opaque tokens. */
export interface Introspector {
  /**
   * @throws {InvalidTokenError} `inactive`, `issuer`, `audience`, `token_type`, `claims`, `expired`, `lifetime`, `sender_constrained`
   * @throws {TokenServiceUnavailableError} endpoint unreachable, 5xx, non-JSON
   */
  introspect(token: string): Promise<Principal>;
}

type Outcome = { readonly principal: Principal } | { readonly error: InvalidTokenError };

const MAX_RESPONSE_BYTES = 64 * 1024;
/** Introspection requests under way at once; beyond it, 503 rather than a queue without end. */
const MAX_IN_FLIGHT = 256;

/**
 * Creates an RFC 7662 client for `policy.introspection`.
 *
 * @example
 * ```ts
 * const introspector = createIntrospector(policy);
 * const principal = await introspector.introspect(opaqueToken);
 * ```
 * @see RFC 7662 §2.1: POST, form-encoded, client authenticated; the token never goes in a URL
 */
export function createIntrospector(policy: TokenPolicy, deps: IntrospectorDeps = {}): Introspector {
  const options = policy.introspection;
  if (!options) throw new TypeError('createIntrospector needs policy.introspection');
  const now = deps.now ?? Date.now;
  const inactiveTtlMs = Math.min(deps.inactiveTtlMs ?? 5_000, 5_000);
  const cache = new LRUCache<string, { outcome: Outcome; untilMs: number }>({ max: Math.max(1, deps.maxEntries ?? 10_000) });
  const inflight = new Map<string, Promise<Principal>>();
  // RFC 6749 §2.3.1: client id and secret are form-urlencoded before Basic encoding.
  const authorization = `Basic ${Buffer.from(`${formEncode(options.clientId)}:${formEncode(options.clientSecret)}`).toString('base64')}`;

  const remember = async (key: string, outcome: Outcome, untilMs: number, shared?: SharedIntrospectionEntry): Promise<void> => {
    const ttl = untilMs - now();
    if (!(ttl > 0)) return;
    cache.set(key, { outcome, untilMs }, { ttl: Math.ceil(ttl) });
    // The shared cache only spares other instances a request: its failure is not ours.
    if (shared) await deps.shared?.set(key, shared).catch(() => undefined);
  };

  /** A fleet member already asked: judge its answer again under our policy and clock. */
  const fromShared = async (key: string): Promise<Outcome | undefined> => {
    const entry = await deps.shared?.get(key).catch(() => undefined);
    if (!entry || !(now() < entry.untilMs)) return undefined;
    let outcome: Outcome;
    try {
      outcome = 'reason' in entry ? { error: new InvalidTokenError(entry.reason) } : { principal: judgeIntrospection(entry.response, policy, Math.floor(now() / 1000)) };
    } catch (error) {
      if (!(error instanceof InvalidTokenError)) throw error;
      outcome = { error };
    }
    await remember(key, outcome, entry.untilMs);
    return outcome;
  };

  const ask = async (token: string): Promise<Record<string, unknown>> => {
    let response: Response;
    try {
      response = await fetch(options.uri, {
        method: 'POST',
        redirect: 'manual',
        signal: AbortSignal.timeout(policy.remote.timeoutMs),
        headers: { authorization, accept: 'application/json', 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ token, token_type_hint: 'access_token' }).toString(),
      });
    } catch (cause) {
      throw new TokenServiceUnavailableError({ cause });
    }
    if (response.status !== 200) {
      await response.body?.cancel();
      // 401 here is our client credentials being refused: misconfigured, still not the caller's fault.
      throw new TokenServiceUnavailableError({ cause: new Error(`introspection answered HTTP ${response.status}`) });
    }
    try {
      const body: unknown = JSON.parse(await readBounded(response, MAX_RESPONSE_BYTES));
      if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new Error('not a JSON object');
      return body as Record<string, unknown>;
    } catch (cause) {
      throw new TokenServiceUnavailableError({ cause });
    }
  };

  return {
    async introspect(token) {
      const key = tokenCacheKey(token);
      const hit = cache.get(key);
      if (hit && now() < hit.untilMs) {
        if ('error' in hit.outcome) throw hit.outcome.error;
        return hit.outcome.principal;
      }
      const shared = await fromShared(key);
      if (shared) {
        if ('error' in shared) throw shared.error;
        return shared.principal;
      }
      // One request per token at a time, and a bound on all of them: a flood of distinct
      // opaque strings must not become a flood at the authorization server.
      const pending = inflight.get(key);
      if (pending) return pending;
      if (inflight.size >= MAX_IN_FLIGHT) throw new TokenServiceUnavailableError({ cause: new Error('too many introspections in flight') });
      const request = askAndJudge(key, token).finally(() => inflight.delete(key));
      inflight.set(key, request);
      return request;
    },
  };

  async function askAndJudge(key: string, token: string): Promise<Principal> {
    const response = await ask(token);
    try {
      const principal = judgeIntrospection(response, policy, Math.floor(now() / 1000));
      // RFC 7662 §4: never cache beyond exp; and never beyond our own bound, so revocation at
      // the authorization server takes effect within cacheMaxSeconds.
      const untilMs = Math.min(principal.expiresAt.getTime(), now() + options!.cacheMaxSeconds * 1000);
      await remember(key, { principal }, untilMs, { untilMs, response });
      return principal;
    } catch (error) {
      if (error instanceof InvalidTokenError) {
        const untilMs = now() + inactiveTtlMs;
        await remember(key, { error }, untilMs, { untilMs, reason: error.reason });
      }
      throw error;
    }
  }
}

function formEncode(value: string): string {
  return encodeURIComponent(value).replace(/%20/g, '+');
}

