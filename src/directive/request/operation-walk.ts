/**
 * The static half of `operation` enforcement: walks one operation (document + operation name +
 * variables) with the guard plan the field guards use, and says which selected fields would be
 * denied for a principal, before anything executes.
 *
 * It selects what execution would: fields are collected per object type as graphql-js collects
 * them (fragments, inline fragments, `@include`/`@skip` with the variables, aliases as response
 * keys). A field returning an interface or union is denied, like its guard denies it, when the
 * principal may read none of its possible types, whatever is selected below it. Under it, each
 * possible type for which anything is selected (`__typename` included) counts with that type's
 * requirement, since any item could be of it.
 *
 * @see https://spec.graphql.org/October2021/#sec-CollectFields
 */
import {
  Kind, getNamedType, getOperationAST, getVariableValues, isAbstractType, isObjectType,
  type DocumentNode, type FieldNode, type FragmentDefinitionNode, type GraphQLNamedType, type GraphQLObjectType,
  type GraphQLSchema, type SelectionSetNode,
} from 'graphql';
import { collectFields } from '@graphql-tools/utils';
import type { Principal } from '../../token/principal.js';
import { check, decideAnyOf, type Decision } from './check.js';
import type { Denial } from './denial-error.js';
import type { GuardPlan } from '../schema/plan-guards.js';
import type { Requirement } from '../schema/requirements.js';

/** One selected field the field guards would deny. */
export interface WalkDenial {
  /** Response path (aliases, no list indices: the walk is static). */
  readonly path: readonly string[];
  readonly decision: Denial;
  readonly requirement: Requirement;
  /** Set when the field returns an abstract type and none of these possible types' requirements is met. */
  readonly anyOf?: readonly Requirement[];
  readonly nodes: readonly FieldNode[];
}

/** What {@link walkOperation} found. */
export interface OperationWalk {
  /** Outermost denials only: below a denied field nothing is reported twice. */
  readonly denials: readonly WalkDenial[];
  /** Every requirement the selected fields and possible types carry, allowed or not. */
  readonly requirements: readonly Requirement[];
}

/** Input of {@link walkOperation}. */
export interface WalkInput {
  readonly schema: GraphQLSchema;
  readonly plan: GuardPlan;
  readonly document: DocumentNode;
  readonly operationName?: string | null | undefined;
  readonly variableValues?: Readonly<Record<string, unknown>> | null | undefined;
  readonly principal: Principal | null;
}

// Validation (NoFragmentCycles) keeps real documents finite; this bounds unvalidated ones.
const MAX_DEPTH = 256;

/**
 * Walks the selected operation. An unknown operation or variables that do not coerce give an
 * empty walk: execution refuses those requests itself, before any resolver runs.
 *
 * @example
 * ```ts
 * const walk = walkOperation({ schema, plan: planGuards(schema, { defaultPolicy: 'allow' }), document: parse(query), principal });
 * walk.denials.map((d) => [d.path, d.decision]); // [[['user', 'email'], 'forbidden']]
 * ```
 */
export function walkOperation(input: WalkInput): OperationWalk {
  const { schema, plan, principal } = input;
  const operation = getOperationAST(input.document, input.operationName ?? undefined);
  const root = operation ? schema.getRootType(operation.operation) : undefined;
  if (!operation || !root) return { denials: [], requirements: [] };
  const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], { ...(input.variableValues ?? {}) });
  if (coerced.errors !== undefined) return { denials: [], requirements: [] };
  const variables = coerced.coerced;
  const fragments: Record<string, FragmentDefinitionNode> = {};
  for (const definition of input.document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments[definition.name.value] = definition;
  }

  const denials: WalkDenial[] = [];
  const requirements = new Set<Requirement>();
  const decisions = new Map<Requirement, Decision>();
  const memo = (requirement: Requirement): Decision => {
    let decision = decisions.get(requirement);
    if (decision === undefined) {
      decision = check(requirement, principal);
      decisions.set(requirement, decision);
    }
    return decision;
  };
  const allowed = (decision: Decision): boolean => decision === 'allow' || decision === 'allow-admin';
  /** Checks; returns true when denied (and records the denial unless one is above it). */
  const guard = (requirement: Requirement, path: readonly string[], nodes: readonly FieldNode[], reported: boolean): boolean => {
    requirements.add(requirement);
    const decision = memo(requirement);
    if (allowed(decision)) return false;
    if (!reported) denials.push({ path, decision: decision as Denial, requirement, nodes });
    return true;
  };
  /** Like the field guard: at least one possible type must be readable. */
  const guardAnyOf = (
    requirement: Requirement, anyOf: readonly Requirement[], path: readonly string[], nodes: readonly FieldNode[], reported: boolean,
  ): boolean => {
    const decision = decideAnyOf(anyOf, memo);
    // The challenge names one way in (the one held, else the first), not all of them.
    requirements.add(anyOf.find((alternative) => allowed(memo(alternative))) ?? (anyOf[0] as Requirement));
    if (allowed(decision)) return false;
    if (!reported) denials.push({ path, decision: decision as Denial, requirement, anyOf, nodes });
    return true;
  };

  // `reported`: a denial is already recorded at or above `path`; keep walking for requirements.
  const walkObject = (type: GraphQLObjectType, selectionSet: SelectionSetNode, path: readonly string[], reported: boolean, depth: number): void => {
    if (depth > MAX_DEPTH) throw new RangeError(`operation nests deeper than ${MAX_DEPTH} levels`);
    const { fields, patches } = collectFields(schema, fragments, variables, type, selectionSet);
    const groups = [...fields, ...patches.flatMap((patch) => [...patch.fields])];
    for (const [responseKey, nodes] of groups) {
      const first = nodes[0];
      if (first === undefined || first.name.value.startsWith('__')) continue; // introspection: never guarded
      const field = type.getFields()[first.name.value];
      if (field === undefined) continue;
      const fieldPath = [...path, responseKey];
      const coordinate = `${type.name}.${field.name}`;
      const requirement = plan.fields.get(coordinate);
      const anyOf = plan.anyOf.get(coordinate);
      const denied = requirement !== undefined &&
        (guard(requirement, fieldPath, nodes, reported) || (anyOf !== undefined && guardAnyOf(requirement, anyOf, fieldPath, nodes, reported)));
      const subSelections = nodes.flatMap((node) => (node.selectionSet ? [node.selectionSet] : []));
      if (subSelections.length > 0) {
        walkType(getNamedType(field.type), subSelections, fieldPath, nodes, reported || denied, depth + 1);
      }
    }
  };

  const walkType = (
    type: GraphQLNamedType, selectionSets: readonly SelectionSetNode[], path: readonly string[],
    nodes: readonly FieldNode[], reported: boolean, depth: number,
  ): void => {
    const merged: SelectionSetNode = { kind: Kind.SELECTION_SET, selections: selectionSets.flatMap((s) => s.selections) };
    if (isObjectType(type)) {
      walkObject(type, merged, path, reported, depth);
      return;
    }
    if (!isAbstractType(type)) return;
    let typeDenied = reported;
    for (const possible of schema.getPossibleTypes(type)) {
      const selected = collectFields(schema, fragments, variables, possible, merged);
      if (selected.fields.size === 0 && selected.patches.length === 0) continue;
      // resolveType checks each item's concrete type before any of its fields.
      const requirement = plan.objectTypes.get(possible.name);
      const denied = requirement !== undefined && requirement.clauses.length > 0 && guard(requirement, path, nodes, typeDenied);
      typeDenied ||= denied; // one denial per path, the first possible type's
      walkObject(possible, merged, path, reported || denied, depth);
    }
  };

  walkObject(root, operation.selectionSet, [], false, 0);
  return { denials, requirements: [...requirements] };
}
