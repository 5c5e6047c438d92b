/**
 * The execution scenario's API, written once and annotated per variant: a guarded `User` type
 * with a further guarded `email`, listed `n` at a time from pre-built records.
 */
import { parse, type DocumentNode } from 'graphql';
import { makeExecutableSchema } from '@graphql-tools/schema';
import type { GraphQLSchema } from 'graphql';
import type { Principal } from '../../src/token/principal.js';

/** Scope that reads a user; required on the whole `User` type. */
export const READ_USER = 'read:user';
/** Scope that reads an email; required on `User.email` on top of {@link READ_USER}. */
export const READ_EMAIL = 'read:email';

/** How each variant writes "this element needs these scopes" in SDL (or not at all). */
export type Annotation = (scopes: readonly string[]) => string;

/** gatepass's `@auth`, in the explicit nested form DESIGN.md asks for. */
export const gatepassAnnotation: Annotation = (scopes) => `@auth(scopes: [${JSON.stringify(scopes)}])`;
/** envelop generic-auth's `@requiresScopes` (the same nested shape). */
export const genericAuthAnnotation: Annotation = (scopes) => `@requiresScopes(scopes: [${JSON.stringify(scopes)}])`;
/** No directive: the variant reads its rules from elsewhere (shield's rule map, the lean wrapper). */
export const noAnnotation: Annotation = () => '';

/** The SDL of the scenario's API, annotated with `annotate`. */
export function scenarioSdl(annotate: Annotation): string {
  return `
    type User ${annotate([READ_USER])} {
      id: ID!
      name: String!
      email: String ${annotate([READ_EMAIL])}
      handle: String
    }
    type Query {
      users(n: Int!): [User!]!
    }
  `;
}

/** One user record, as the resolver returns it. */
export interface UserRecord {
  readonly id: string;
  readonly name: string;
  readonly email: string;
  readonly handle: string;
}

/** The largest `n` the scenario asks for. */
export const MAX_USERS = 10_000;

/** Records built once, so that no variant pays for building them inside the timed region. */
export const USERS: readonly UserRecord[] = Array.from({ length: MAX_USERS }, (_, i) => ({
  id: `u${i}`,
  name: `user ${i}`,
  email: `u${i}@example.com`,
  handle: `@u${i}`,
}));

/**
 * Builds an executable schema of the scenario: `extraSdl` (directive definitions) + the
 * annotated API + the one resolver, `Query.users`.
 */
export function buildScenarioSchema(annotate: Annotation, extraSdl = ''): GraphQLSchema {
  return makeExecutableSchema({
    typeDefs: [extraSdl, scenarioSdl(annotate)].filter((s) => s.trim() !== ''),
    resolvers: { Query: { users: (_: unknown, { n }: { n: number }) => USERS.slice(0, n) } },
  });
}

/** The timed operation, pre-parsed: `{ users(n: N) { id name email handle } }`. */
export function usersDocument(n: number): DocumentNode {
  return parse(`{ users(n: ${n}) { id name email handle } }`);
}

/** The two callers of the scenario: one allowed everything, one denied `email`. */
export type Caller = 'allowed' | 'denied-email';

/** A principal for `caller`, shaped as gatepass's `Principal` (every variant reads `scopes`). */
export function principalFor(caller: Caller): Principal {
  const scopes = caller === 'allowed' ? [READ_USER, READ_EMAIL] : [READ_USER];
  const now = Math.floor(Date.now() / 1000);
  return Object.freeze({
    subject: caller,
    scopes: new Set(scopes),
    roles: new Set<string>(),
    isAdmin: false,
    clientId: 'bench',
    issuer: 'urn:bench',
    audience: ['urn:bench:api'],
    expiresAt: new Date((now + 3600) * 1000),
    issuedAt: new Date(now * 1000),
    tokenId: undefined,
    claims: { sub: caller, scope: scopes.join(' ') },
  });
}
