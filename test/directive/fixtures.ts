/**
 * Shared helpers of the directive tests: principals as plain objects, a runner that returns the
 * comparable part of a GraphQL result, and a logger that records its lines.
 */
import { graphql, type ExecutionResult, type GraphQLSchema } from 'graphql';
import { pino, type Logger } from 'pino';
import { createAuthContext } from '../../src/directive/request/auth-context.js';
import type { Principal } from '../../src/token/principal.js';

/** A principal with the given scopes and roles; `isAdmin` as the token layer would compute it. */
export function principal(options: { scopes?: string[]; roles?: string[]; isAdmin?: boolean; subject?: string } = {}): Principal {
  return {
    subject: options.subject ?? 'user-1',
    scopes: new Set(options.scopes ?? []),
    roles: new Set(options.roles ?? []),
    isAdmin: options.isAdmin ?? false,
    clientId: 'client-1',
    issuer: 'https://issuer.test',
    audience: ['api'],
    expiresAt: new Date(Date.now() + 60_000),
    issuedAt: new Date(),
    tokenId: undefined,
    claims: {},
  };
}

/** What tests compare: data, and each error's path and code (in order). */
export interface Outcome {
  data: unknown;
  errors?: Array<{ path: ReadonlyArray<string | number> | undefined; code: unknown }>;
}

/** Reduces a result to {@link Outcome}, as it would be serialised. */
export function outcome(result: ExecutionResult): Outcome {
  const json = JSON.parse(JSON.stringify(result)) as { data?: unknown; errors?: Array<{ path?: Array<string | number>; extensions?: { code?: unknown } }> };
  const reduced: Outcome = { data: json.data ?? null };
  if (json.errors !== undefined) reduced.errors = json.errors.map((e) => ({ path: e.path, code: e.extensions?.code }));
  return reduced;
}

/** Runs `source` with plain `graphql()` as `who` (null = anonymous). */
export async function run(
  schema: GraphQLSchema, source: string, who: Principal | null, variableValues?: Record<string, unknown>,
): Promise<Outcome> {
  return outcome(await graphql({ schema, source, contextValue: createAuthContext(who), variableValues }));
}

/** A pino logger whose lines are kept as parsed objects. */
export function recordingLogger(): { logger: Logger; lines: Array<Record<string, unknown>> } {
  const lines: Array<Record<string, unknown>> = [];
  const logger = pino({ level: 'debug' }, { write: (line: string) => { lines.push(JSON.parse(line) as Record<string, unknown>); } });
  return { logger, lines };
}
