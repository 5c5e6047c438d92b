/**
 * One `subscribe` message of graphql-ws, made ready to run under the socket's principal: parsed,
 * validated, given a fresh {@link AuthContext}, and in `operation` enforcement walked with the
 * field guards' own plan first, as the enforcement plugin does over HTTP: a refused operation
 * answers its errors and never executes (for a subscription: no source stream, no `subscribe`).
 * @see README rule 11; https://github.com/enisdenjo/graphql-ws/blob/master/PROTOCOL.md#subscribe
 */
import { GraphQLError, parse, validate, type ExecutionArgs, type GraphQLSchema } from 'graphql';
import type { EnforcementMode } from '../config/config.js';
import { createAuthContext } from '../directive/request/auth-context.js';
import { resolveEnforcement } from '../directive/enforcement-settings.js';
import { refuseOperation } from '../directive/request/operation-refusal.js';
import type { Logger } from '../logger.js';
import type { Principal } from '../token/principal.js';

/** The `payload` of a graphql-ws `subscribe` message. */
export interface SubscribePayload {
  readonly query: string;
  readonly operationName?: string | null;
  readonly variables?: Record<string, unknown> | null;
}

/** Options of {@link prepareOperation}. */
export interface PrepareOptions {
  readonly schema: GraphQLSchema;
  /** @default the mode `authDirectiveTransformer` built `schema` with ('field' for other schemas) */
  readonly mode?: EnforcementMode | undefined;
  readonly logger?: Logger | undefined;
}

/**
 * The execution arguments of one operation, or the errors that refuse it before it runs.
 *
 * @example
 * ```ts
 * const prepared = prepareOperation(payload, principal, { schema, mode: 'operation' });
 * if (Array.isArray(prepared)) return prepared; // graphql-ws sends them as an `error` message
 * ```
 */
export function prepareOperation(payload: SubscribePayload, principal: Principal | null, options: PrepareOptions): ExecutionArgs | GraphQLError[] {
  const { schema } = options;
  let document;
  try {
    document = parse(payload.query);
  } catch (error) {
    return [error instanceof GraphQLError ? error : new GraphQLError('invalid query')];
  }
  const invalid = validate(schema, document);
  if (invalid.length > 0) return [...invalid];
  const args: ExecutionArgs = {
    schema,
    document,
    operationName: payload.operationName,
    variableValues: payload.variables,
    // One per operation: its decision memo lives as long as the subscription, for one principal.
    contextValue: createAuthContext(principal),
  };
  const settings = resolveEnforcement(schema, { mode: options.mode, logger: options.logger });
  if (settings.mode !== 'operation') return args;
  const refused = refuseOperation({
    schema, plan: settings.plan, explain: settings.explain, logger: settings.logger, document,
    operationName: payload.operationName, variableValues: payload.variables, principal,
    // No response head to set: the errors travel in graphql-ws's `error` message.
    batched: true,
  });
  return refused === null ? args : [...refused.errors];
}
