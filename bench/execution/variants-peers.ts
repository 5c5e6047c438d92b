/**
 * envelop's generic-auth as an execution-scenario peer, configured to the same rules as gatepass
 * as closely as its API allows (graphql-shield is in variant-shield.ts).
 */
import { execute, parse, specifiedRules, subscribe, validate, type ExecutionResult } from 'graphql';
import { envelop, useEngine, useSchema } from '@envelop/core';
import { REQUIRES_SCOPES_DIRECTIVE_SDL, useGenericAuth } from '@envelop/generic-auth';
import type { Principal } from '../../src/token/principal.js';
import { buildScenarioSchema, genericAuthAnnotation } from './schema.js';
import type { ExecutionVariant } from './variants-local.js';

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
