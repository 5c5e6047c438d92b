/**
 * What a refused operation answers in `operation` enforcement: one GraphQL error per denied path
 * of the operation walk, explained as the field guard's own error would be. Shared by every
 * transport that refuses before executing (Apollo's enforcement plugin over HTTP, the
 * graphql-ws `subscribe` message), so a refusal reads the same wherever it happens.
 * @see RFC 6750 §3.1 (`insufficient_scope`); README rule 11
 */
import { GraphQLError } from 'graphql';
import type { Principal } from '../../token/principal.js';
import { describeAnyOf } from '../schema/abstract-entry.js';
import { denialExtensions, denialMessage } from './denial-error.js';
import { explainDenial, type ExplainSettings } from './explain-denial.js';
import type { OperationWalk } from './operation-walk.js';

/**
 * The errors of an operation refused by `walk` (empty when nothing was denied), in walk order:
 * the outermost denied paths, each with its code and, per `explain`, its requirement.
 *
 * @example
 * ```ts
 * const walk = walkOperation({ schema, plan, document, principal });
 * const errors = walkDenialErrors(walk, principal, { explainDenials: true, explainPresented: false });
 * ```
 */
export function walkDenialErrors(walk: OperationWalk, principal: Principal | null, explain: ExplainSettings): GraphQLError[] {
  return walk.denials.map((denial) => new GraphQLError(denialMessage(denial.decision), {
    nodes: denial.nodes,
    path: denial.path,
    extensions: denialExtensions(denial.decision, explainDenial(
      denial.decision, denial.anyOf ? describeAnyOf(denial.requirement, denial.anyOf) : denial.requirement, principal, explain,
    )),
  }));
}
