/**
 * `operation` enforcement, independent of the server: walk an operation with the field guards'
 * own plan and, when any selected field would be denied, say how the whole operation is refused
 * (one GraphQL error per denied path, and the RFC 6750 answer). The Apollo plugin
 * (`authEnforcementPlugin`) and the Yoga plugin (`useGatepass`) both answer from it, so the two
 * servers refuse the same operations with the same errors, status and challenge.
 *
 * @see RFC 6750 §3 (challenge, `scope`), §3.1 (`insufficient_scope` → 403); RFC 9470 §3
 */
import type { DocumentNode, GraphQLError, GraphQLSchema } from 'graphql';
import { ForbiddenError, InsufficientUserAuthenticationError, UnauthenticatedError, type AuthError } from '../../errors.js';
import { toHttpFailure, type ChallengeOptions, type HttpFailure } from '../../http-failure.js';
import type { Logger } from '../../logger.js';
import type { Principal } from '../../token/principal.js';
import type { GuardPlan } from '../schema/plan-guards.js';
import type { Requirement } from '../schema/requirements.js';
import { scopesForChallenge } from './challenge-scopes.js';
import type { ExplainSettings } from './explain-denial.js';
import { walkOperation, type WalkDenial } from './operation-walk.js';
import { stepUpParameters } from './step-up.js';
import { walkDenialErrors } from './walk-denial-errors.js';

/** One operation to judge before it executes. */
export interface OperationRefusalInput {
  readonly schema: GraphQLSchema;
  readonly plan: GuardPlan;
  readonly explain: ExplainSettings;
  readonly logger?: Logger | undefined;
  readonly document: DocumentNode;
  readonly operationName?: string | null | undefined;
  readonly variableValues?: Readonly<Record<string, unknown>> | null | undefined;
  readonly principal: Principal | null;
  /** Part of a batch: refused in its own body only, no status or challenge (see below). */
  readonly batched: boolean;
  readonly challenge?: ChallengeOptions | undefined;
}

/** How a refused operation is answered. */
export interface OperationRefusal {
  /** One error per denied path (the outermost), with its code and explanation. */
  readonly errors: readonly GraphQLError[];
  /** Status and `WWW-Authenticate` of the response; `null` in a batch. */
  readonly http: HttpFailure | null;
}

/**
 * Walks the operation; `null` when every selected field is allowed, else the refusal. Logs each
 * refused operation (subject, operation name, denied paths; never a token).
 *
 * @example
 * ```ts
 * const refusal = refuseOperation({ schema, plan, explain, document, principal, batched: false });
 * if (refusal) return { status: refusal.http?.status, errors: refusal.errors };
 * ```
 * @see RFC 6750 §3.1
 */
export function refuseOperation(input: OperationRefusalInput): OperationRefusal | null {
  const { principal } = input;
  const walk = walkOperation({
    schema: input.schema, plan: input.plan, document: input.document, operationName: input.operationName, variableValues: input.variableValues, principal,
  });
  if (walk.denials.length === 0) return null;
  const errors = walkDenialErrors(walk, principal, input.explain);
  input.logger?.info(
    { subject: principal?.subject ?? null, operationName: input.operationName ?? null, denied: walk.denials.map((d) => ({ path: d.path, decision: d.decision })) },
    'operation refused',
  );
  // A batch shares one response head, and its other operations may have run: a 401/403
  // would misdescribe them, so only this operation's body says it was refused.
  if (input.batched) return { errors, http: null };
  const refusal = refusalOf(principal === null, walk.denials, () => scopesForChallenge(walk.requirements, principal));
  return { errors, http: toHttpFailure(refusal, input.challenge) };
}

/**
 * The operation's refusal: without a principal, 401 with a bare challenge (RFC 6750 §3.1: no
 * error attribute); a missing scope or role, 403 `insufficient_scope` (a stronger login would not
 * help); only step-up denials, 401 `insufficient_user_authentication` (RFC 9470 §3).
 */
function refusalOf(anonymous: boolean, denials: readonly WalkDenial[], scope: () => string): AuthError {
  if (anonymous) return new UnauthenticatedError();
  const stepUps = denials.filter((denial) => denial.decision === 'insufficient_user_authentication');
  if (stepUps.length < denials.length) return new ForbiddenError({ scope: scope() });
  const asksStepUp = (requirement: Requirement) => requirement.clauses.some((clause) => clause.acr !== undefined || clause.maxAge !== undefined);
  const clauses = stepUps.flatMap((denial) => [...denial.requirement.clauses, ...(denial.anyOf?.find(asksStepUp)?.clauses ?? [])]);
  const { acr_values, max_age } = stepUpParameters(clauses);
  return new InsufficientUserAuthenticationError({ acrValues: acr_values, maxAge: max_age });
}
