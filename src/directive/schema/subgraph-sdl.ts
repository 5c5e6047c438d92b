/**
 * What a Federation subgraph's `_service { sdl }` answers once gatepass guards it: the schema as
 * `buildSubgraphSchema` printed it — its `@link`s and the Router's `@authenticated`,
 * `@requiresScopes` and `@policy`, which composition carries into the supergraph for the router to
 * enforce — without gatepass's own `@auth` and `@public`. The router does not read those (they are
 * enforced here, by the subgraph), and they would tell any caller which roles and admin overrides
 * guard what: `_service` is open like introspection, so it shows no more than introspection does.
 *
 * @see https://www.apollographql.com/docs/graphos/reference/federation/subgraph-spec#fetch-service-capabilities
 */
import { Kind, parse, print, visit, type GraphQLFieldResolver } from 'graphql';
import { AUTH_DIRECTIVE, PUBLIC_DIRECTIVE } from './sdl.js';

const GATEPASS_DIRECTIVES: ReadonlySet<string> = new Set([AUTH_DIRECTIVE, PUBLIC_DIRECTIVE]);

/**
 * The SDL without `@auth` / `@public`: their definitions and every use of them.
 *
 * @example
 * ```ts
 * stripGatepassDirectives('type User @key(fields: "id") @auth(roles: [["staff"]]) { id: ID! }');
 * // 'type User @key(fields: "id") {\n  id: ID!\n}'
 * ```
 */
export function stripGatepassDirectives(sdl: string): string {
  const document = visit(parse(sdl), {
    [Kind.DIRECTIVE_DEFINITION]: (node) => (GATEPASS_DIRECTIVES.has(node.name.value) ? null : undefined),
    [Kind.DIRECTIVE]: (node) => (GATEPASS_DIRECTIVES.has(node.name.value) ? null : undefined),
  });
  return print(document);
}

/**
 * Wraps `_service`'s resolver so that its `sdl` is stripped of `@auth` / `@public`; the SDL is
 * stripped once (it is the same on every call) and each later call reuses it.
 */
export function withoutGatepassDirectives(resolve: GraphQLFieldResolver<unknown, unknown>): GraphQLFieldResolver<unknown, unknown> {
  let last: { readonly from: string; readonly to: string } | undefined;
  const strip = (service: unknown): unknown => {
    const sdl = (service as { sdl?: unknown } | null)?.sdl;
    if (typeof sdl !== 'string') return service;
    if (last?.from !== sdl) last = { from: sdl, to: stripGatepassDirectives(sdl) };
    return { ...(service as object), sdl: last.to };
  };
  return function strippedService(source, args, context, info) {
    const service = resolve(source, args, context, info);
    return typeof (service as { then?: unknown } | null)?.then === 'function'
      ? Promise.resolve(service).then(strip)
      : strip(service);
  };
}
