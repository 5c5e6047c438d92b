/**
 * The per-request authorization state the guarded resolvers read: who is calling, and the
 * decisions already made for this request.
 *
 * @see DESIGN.md "The way a request travels" (server/context → directive/*)
 */
import type { Principal } from '../../token/principal.js';
import { toPrincipalShape, type PrincipalInit } from '../../token/principal-shape.js';
import type { Decision } from './check.js';
import type { Requirement } from '../schema/requirements.js';

/**
 * Per-request state: the principal (or `null` for an anonymous request) and the decision memo.
 * The server's Apollo context is an `AuthContext`, possibly with more members.
 */
export interface AuthContext {
  readonly principal: Principal | null;
  /** One decision per (requirement, request): requirements are interned, so identity is the key. */
  readonly decisions: Map<Requirement, Decision>;
}

/**
 * Creates the auth part of a request's context. A principal given as plain data (`{ subject,
 * scopes: ['a'], roles: [] }`) is shaped here, once, and a malformed one is refused here with a
 * TypeError naming the member, not later in every guarded field.
 *
 * @example
 * ```ts
 * const server = new ApolloServer({ schema: authDirectiveTransformer(schema) });
 * startStandaloneServer(server, { context: async ({ req }) => createAuthContext(await principalOf(req)) });
 * ```
 * @throws {TypeError} a principal whose scopes or roles are not names
 */
export function createAuthContext(principal: Principal | PrincipalInit | null): AuthContext {
  return { principal: principal === null ? null : toPrincipalShape(principal), decisions: new Map() };
}

// Memo for contexts built by hand: no `decisions` map, or a principal given as plain data.
const handBuilt = new WeakMap<object, AuthContext>();

/**
 * Reads an {@link AuthContext} from a GraphQL context value: `context.principal` and
 * `context.decisions`. Fails closed: a missing context or principal is an anonymous request.
 */
export function readAuthContext(context: unknown): AuthContext {
  if (typeof context !== 'object' || context === null) return createAuthContext(null);
  const candidate = context as { principal?: unknown; decisions?: unknown };
  if (candidate.decisions instanceof Map) {
    // The common cases, contexts from createAuthContext: read as they are, no allocation.
    if (candidate.principal === null || (candidate.principal as Principal | undefined)?.scopes instanceof Set) return candidate as AuthContext;
  }
  let auth = handBuilt.get(context);
  if (auth === undefined) {
    const principal = (candidate.principal ?? null) as Principal | PrincipalInit | null;
    const decisions = candidate.decisions instanceof Map ? (candidate.decisions as Map<Requirement, Decision>) : new Map<Requirement, Decision>();
    auth = { principal: principal === null ? null : toPrincipalShape(principal), decisions };
    handBuilt.set(context, auth);
  }
  return auth;
}
