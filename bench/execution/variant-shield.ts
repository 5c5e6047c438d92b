/**
 * graphql-shield as an execution-scenario peer. In its own module because graphql-shield 7
 * imports `util.isUndefined`, which Node 23 removed: loaded dynamically, so the rest of the bench
 * (and its correctness test) still runs on Node 24.
 */
import { GraphQLError, execute, type ExecutionResult } from 'graphql';
import { and, rule, shield } from 'graphql-shield';
import { applyMiddleware } from 'graphql-middleware';
import type { Principal } from '../../src/token/principal.js';
import { READ_EMAIL, READ_USER, buildScenarioSchema, noAnnotation } from './schema.js';
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
