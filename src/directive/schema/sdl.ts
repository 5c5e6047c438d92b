/**
 * The SDL of gatepass's schema directives, to be added to a schema's type definitions.
 *
 * `schema/auth.graphql` holds the same text (a test keeps the two in step), for tools that read
 * SDL files rather than TypeScript.
 *
 * @see DESIGN.md "@auth semantics (the contract)"
 */

/**
 * Declares `@auth` and `@public`.
 *
 * - `@auth` with no arguments requires an authenticated principal.
 * - `scopes` / `roles` are alternatives of AND groups: `[["a","b"],["c"]]` = (a AND b) OR c, the
 *   shape Apollo Router, Hive Router and envelop share. A flat `["a","b"]` is coerced by GraphQL
 *   list input coercion to `[["a"],["b"]]` = a OR b (the transformer warns about it).
 * - `acr` / `maxAge` (RFC 9470 step-up): the token's `acr` must be one of `acr`, and its
 *   `auth_time` at most `maxAge` seconds old; the admin override never waives them (unless
 *   `AUTH_ADMIN_STEP_UP=true`).
 * - `adminOverride: false` opts a requirement out of the admin override.
 * - `@public` waives the deny-by-default policy for a field or a whole object type.
 *
 * @example
 * ```ts
 * const schema = makeExecutableSchema({ typeDefs: [AUTH_DIRECTIVE_SDL, typeDefs], resolvers });
 * const guarded = authDirectiveTransformer(schema);
 * ```
 * @see https://spec.graphql.org/October2021/#sec-List.Input-Coercion (why a flat list means OR)
 */
export const AUTH_DIRECTIVE_SDL = `directive @auth(scopes: [[String!]!], roles: [[String!]!], acr: [String!], maxAge: Int, adminOverride: Boolean = true) on OBJECT | INTERFACE | FIELD_DEFINITION

directive @public on FIELD_DEFINITION | OBJECT
`;

/** Name of the directive that declares a requirement. */
export const AUTH_DIRECTIVE = 'auth';

/** Name of the directive that waives the deny-by-default policy. */
export const PUBLIC_DIRECTIVE = 'public';
