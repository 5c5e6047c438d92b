/**
 * `authDirectiveTransformer`: the `mapSchema` wiring that puts `@auth` in charge of a schema.
 *
 * Stateless: it takes a plain `GraphQLSchema` and returns a new one; everything it needs per
 * request is in the context. It works under plain `graphql()` execution and under Apollo.
 *
 * @see DESIGN.md "@auth semantics (the contract)"
 */
import {
  GraphQLInterfaceType, GraphQLUnionType, defaultFieldResolver, defaultTypeResolver,
  type GraphQLFieldResolver, type GraphQLSchema, type GraphQLTypeResolver,
} from 'graphql';
import { MapperKind, mapSchema } from '@graphql-tools/utils';
import type { Logger } from 'pino';
import type { DefaultPolicy, EnforcementMode } from '../config/config.js';
import { silentLogger } from '../logger.js';
import type { Decision } from './request/check.js';
import { readAuthContext, type AuthContext } from './request/auth-context.js';
import { createGuards } from './request/create-guards.js';
import { rememberEnforcement } from './enforcement-settings.js';
import { planGuards } from './schema/plan-guards.js';
import type { Requirement } from './schema/requirements.js';
import { planEntities } from './schema/plan-entities.js';
import { checkAuthSchema } from './schema/schema-checks.js';
import { isSubgraphEntitiesField, isSubgraphServiceField } from './schema/subgraph-fields.js';
import { withoutGatepassDirectives } from './schema/subgraph-sdl.js';

/** Options of {@link authDirectiveTransformer}. */
export interface AuthDirectiveOptions {
  /** Where schema warnings and admin passes are logged. @default a silent logger */
  readonly logger?: Logger;
  /** Put the requirement in FORBIDDEN errors' `extensions.requirement`. @default true */
  readonly explainDenials?: boolean;
  /**
   * Put what the principal presented in FORBIDDEN errors' `extensions.presented` (`{ scopes,
   * roles }`). For development: the reference server turns it on in dev mode only. @default false
   */
  readonly explainPresented?: boolean;
  /**
   * `'field'` and `'operation'`: a denied field is null with an error (`'operation'` adds the
   * up-front walk of `authEnforcementPlugin`, which refuses the whole operation first).
   * `'dry-run'`: nothing is denied; each would-be denial is logged and recorded for
   * `authEnforcementPlugin` to report in `extensions.authDryRun`. @default 'field'
   */
  readonly mode?: EnforcementMode;
  /**
   * `'deny'`: a field with no requirement needs an authenticated principal unless it (or its
   * object type) is marked `@public`. @default 'allow'
   */
  readonly defaultPolicy?: DefaultPolicy;
  /** Reads the auth state from the GraphQL context. @default `context.principal` / `context.decisions` */
  readonly getAuth?: (context: unknown) => AuthContext;
  /** Called once per decision taken (not per memo hit): for metrics and tests. */
  readonly onDecision?: (requirement: Requirement, decision: Decision) => void;
  /**
   * The execution's `fieldResolver` (graphql()'s argument, Apollo Server's option), if not the
   * default: a guarded field without its own `resolve` runs it once allowed. graphql-js does not
   * pass it to resolvers, so a guard that replaced the missing `resolve` could not find it.
   * @default graphql's `defaultFieldResolver`
   */
  readonly fieldResolver?: GraphQLFieldResolver<unknown, unknown>;
  /**
   * The execution's `typeResolver`, if not the default: a guarded interface or union without its
   * own `resolveType` runs it before checking each item's type. @default graphql's `defaultTypeResolver`
   */
  readonly typeResolver?: GraphQLTypeResolver<unknown, unknown>;
}

/**
 * Returns a copy of `schema` in which `@auth` is enforced.
 *
 * - Type `@auth` applies to every field of the type, a field's own `@auth` adds to it (AND), and
 *   an interface's and its fields' requirements carry to the implementing types.
 * - A field returning a guarded object type is checked up front with that type's requirement:
 *   a denied `users: [User!]` is one error at `["users"]`, and its resolver does not run.
 * - A field returning an interface or union checks up front what every possible type requires,
 *   and is denied when the principal may read none of the possible types; then each item whose
 *   concrete type is guarded and denied becomes null with its own error (at `["search", 1]`),
 *   before any of its fields, `__typename` included, is completed.
 * - A denied field resolves to null with `extensions.code` `UNAUTHENTICATED` (no principal) or
 *   `FORBIDDEN`; its resolver (and a subscription's `subscribe`) never runs.
 * - Unguarded fields keep their resolver function untouched.
 * - Apollo Router's `@authenticated`, `@requiresScopes` and `@policy` are read beside `@auth`
 *   (router-directives.ts). On a Federation subgraph, `_entities` checks each representation's
 *   type before `__resolveReference` runs, and `_service { sdl }` stays open without `@auth`.
 *
 * Apply it last: a later transform that replaces `resolve` or `resolveType` can drop a guard.
 * Executing with a custom `fieldResolver` / `typeResolver`? Pass the same ones here.
 *
 * @throws AuthSchemaError listing every misuse of `@auth` / `@public` in the schema.
 * @example
 * ```ts
 * const schema = authDirectiveTransformer(
 *   makeExecutableSchema({ typeDefs: [AUTH_DIRECTIVE_SDL, typeDefs], resolvers }),
 *   { logger, defaultPolicy: 'allow' },
 * );
 * await graphql({ schema, source: '{ users { email } }', contextValue: createAuthContext(principal) });
 * ```
 * @see https://the-guild.dev/graphql/tools/docs/schema-directives (the wiring; not its rules)
 */
export function authDirectiveTransformer(schema: GraphQLSchema, options: AuthDirectiveOptions = {}): GraphQLSchema {
  const logger = options.logger ?? silentLogger();
  checkAuthSchema(schema, { logger });
  const defaultPolicy = options.defaultPolicy ?? 'allow';
  const plan = planGuards(schema, { defaultPolicy });
  const mode = options.mode ?? 'field';
  const settings = {
    mode,
    defaultPolicy,
    plan,
    logger,
    explainDenials: options.explainDenials ?? true,
    explainPresented: options.explainPresented ?? false,
    getAuth: options.getAuth ?? readAuthContext,
  };
  const guards = createGuards({ ...settings, dryRun: mode === 'dry-run', onDecision: options.onDecision });
  const subscriptionType = schema.getSubscriptionType()?.name;
  const fieldResolver = options.fieldResolver ?? defaultFieldResolver;
  const typeResolver = options.typeResolver ?? defaultTypeResolver;

  const guarded = mapSchema(schema, {
    [MapperKind.OBJECT_FIELD]: (fieldConfig, fieldName, typeName) => {
      const coordinate = `${typeName}.${fieldName}`;
      if (isSubgraphEntitiesField(schema, typeName, fieldName, fieldConfig.type)) {
        // Federation's entity fetch: each representation is checked by its type first.
        const entities = guards.entities((fieldConfig.resolve ?? fieldResolver) as GraphQLFieldResolver<unknown, unknown>, planEntities(schema, plan));
        fieldConfig = { ...fieldConfig, resolve: entities };
      } else if (isSubgraphServiceField(schema, typeName, fieldName, fieldConfig.type)) {
        return { ...fieldConfig, resolve: withoutGatepassDirectives(fieldConfig.resolve ?? fieldResolver) };
      }
      const requirement = plan.fields.get(coordinate);
      if (requirement === undefined) return fieldConfig; // same resolver function, no wrapper
      const anyOf = plan.anyOf.get(coordinate);
      const resolve = (fieldConfig.resolve ?? fieldResolver) as GraphQLFieldResolver<unknown, unknown>;
      const guarded = { ...fieldConfig, resolve: guards.field(resolve, requirement, anyOf) };
      if (typeName === subscriptionType || fieldConfig.subscribe !== undefined) {
        // The event stream is opened by `subscribe`: deny before it opens, not per event only.
        const subscribe = (fieldConfig.subscribe ?? defaultFieldResolver) as GraphQLFieldResolver<unknown, unknown>;
        guarded.subscribe = guards.field(subscribe, requirement, anyOf);
      }
      return guarded;
    },
    [MapperKind.ABSTRACT_TYPE]: (type) => {
      if (!plan.abstractTypes.has(type.name)) return type;
      if (type instanceof GraphQLInterfaceType) {
        const config = type.toConfig();
        return new GraphQLInterfaceType({ ...config, resolveType: guards.resolveType(config.resolveType ?? typeResolver, plan.objectTypes) });
      }
      const config = (type as GraphQLUnionType).toConfig();
      return new GraphQLUnionType({ ...config, resolveType: guards.resolveType(config.resolveType ?? typeResolver, plan.objectTypes) });
    },
  });
  rememberEnforcement(guarded, settings);
  return guarded;
}
