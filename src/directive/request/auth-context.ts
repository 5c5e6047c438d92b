/**
 * The per-request authorization state the guarded resolvers read: who is calling, and the
 * decisions already made for this request.
 *
 * @see DESIGN.md "The way a request travels" (server/context → directive/*)
 */
import type { Principal } from '../../token/principal.js';
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
 * Creates the auth part of a request's context.
 *
 * @example
 * ```ts
 * const server = new ApolloServer({ schema: authDirectiveTransformer(schema) });
 * startStandaloneServer(server, { context: async ({ req }) => createAuthContext(await principalOf(req)) });
 * ```
 */
export function createAuthContext(principal: Principal | null): AuthContext {
  return { principal, decisions: new Map() };
}

// Memo for contexts that carry a principal but no `decisions` map (hand-built contexts).
const fallbackDecisions = new WeakMap<object, Map<Requirement, Decision>>();

/**
 * Reads an {@link AuthContext} from a GraphQL context value: `context.principal` and
 * `context.decisions`. Fails closed: a missing context or principal is an anonymous request.
 */
export function readAuthContext(context: unknown): AuthContext {
  if (typeof context !== 'object' || context === null) return createAuthContext(null);
  const candidate = context as { principal?: unknown; decisions?: unknown };
  if (candidate.decisions instanceof Map) {
    if (candidate.principal === undefined) return { principal: null, decisions: candidate.decisions };
    return candidate as AuthContext;
  }
  let decisions = fallbackDecisions.get(context);
  if (decisions === undefined) {
    decisions = new Map();
    fallbackDecisions.set(context, decisions);
  }
  const principal = (candidate.principal ?? null) as Principal | null;
  return { principal, decisions };
}
