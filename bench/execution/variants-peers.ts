/**
 * The execution scenario's peers, each configured to the same rules as gatepass as closely as
 * its API allows: graphql-shield (through graphql-middleware) and envelop's generic-auth.
 */
import { GraphQLError, execute, parse, specifiedRules, subscribe, validate, type ExecutionResult } from 'graphql';
import { and, rule, shield } from 'graphql-shield';
import { applyMiddleware } from 'graphql-middleware';
import { envelop, useEngine, useSchema } from '@envelop/core';
import { REQUIRES_SCOPES_DIRECTIVE_SDL, useGenericAuth } from '@envelop/generic-auth';
import type { Principal } from '../../src/token/principal.js';
import { READ_EMAIL, READ_USER, buildScenarioSchema, genericAuthAnnotation, noAnnotation } from './schema.js';
import type { ExecutionVariant } from './variants-local.js';

interface ShieldContext {
  readonly principal: Principal | null;
}

/**
 * graphql-shield 7: a rule per type and per field (`User: { '*': readUser, email: and(readUser,
 * readEmail) }`, `Query.users: readUser`), `cache: 'contextual'` (its best: one evaluation per
 * rule per request), and a FORBIDDEN `fallbackError` so that a denial is null + one error.
 */
export function shieldVariant(): ExecutionVariant {
  const scopeRule = (name: string, scope: string) =>
    rule(name, { cache: 'contextual' })((_parent, _args, context: ShieldContext) => context.principal?.scopes.has(scope) === true);
  const readUser = scopeRule('readUser', READ_USER);
  const readEmail = scopeRule('readEmail', READ_EMAIL);
  const permissions = shield(
    { Query: { users: readUser }, User: { '*': readUser, email: and(readUser, readEmail) } },
    { fallbackError: new GraphQLError('Forbidden', { extensions: { code: 'FORBIDDEN' } }), allowExternalErrors: true },
  );
  const schema = applyMiddleware(buildScenarioSchema(noAnnotation), permissions);
  return {
    id: 'shield',
    label: `graphql-shield + graphql-middleware`,
    operation: (document, principal) => () =>
      execute({ schema, document, contextValue: { principal } }) as ExecutionResult | Promise<ExecutionResult>,
  };
}

/** The per-principal scope array generic-auth asks for, computed once per principal. */
const scopeArrays = new WeakMap<Principal, string[]>();
function scopesOf(principal: Principal): string[] {
  let scopes = scopeArrays.get(principal);
  if (!scopes) scopeArrays.set(principal, (scopes = [...principal.scopes]));
  return scopes;
}

/**
 * @envelop/generic-auth 11: `mode: 'protect-granular'`, `@requiresScopes` on the type and on
 * `email`, `rejectUnauthenticated: false` (field-level, not whole-operation, rejection), run
 * through envelop's own `execute` with a fresh `getEnveloped` per request.
 */
export function genericAuthVariant(): ExecutionVariant {
  const schema = buildScenarioSchema(genericAuthAnnotation, REQUIRES_SCOPES_DIRECTIVE_SDL);
  const getEnveloped = envelop({
    plugins: [
      useEngine({ parse, validate, specifiedRules, execute, subscribe }),
      useSchema(schema),
      useGenericAuth<Principal, { principal: Principal | null }>({
        mode: 'protect-granular',
        resolveUserFn: (context) => context.principal,
        extractScopes: scopesOf,
        rejectUnauthenticated: false,
      }),
    ],
  });
  return {
    id: 'generic-auth',
    label: '@envelop/generic-auth (protect-granular)',
    operation: (document, principal) => async () => {
      const enveloped = getEnveloped({ principal });
      const contextValue = await enveloped.contextFactory();
      return (await enveloped.execute({ schema: enveloped.schema, document, contextValue })) as ExecutionResult;
    },
  };
}
