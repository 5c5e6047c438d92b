/**
 * The coverage audit: for every field of every object type, the requirement a caller must meet
 * to read it (after type, interface and return-type propagation, as the guards enforce it), and
 * the two findings a review wants first: what anonymous callers can reach, and which mutations
 * anyone can call.
 *
 * Computed from the same guard plan the transformer enforces, so the audit cannot drift from the
 * enforcement.
 *
 * @see DESIGN.md "@auth semantics (the contract)"
 */
import { getNamedType, isAbstractType, isIntrospectionType, isObjectType, type GraphQLObjectType, type GraphQLSchema } from 'graphql';
import type { DefaultPolicy } from '../../config/config.js';
import { describeAnyOf } from './abstract-entry.js';
import { planGuards } from './plan-guards.js';
import { isSubgraphEntitiesField } from './subgraph-fields.js';
import { NO_REQUIREMENT, combine, describeRequirement, type Requirement, type RequirementDescription } from './requirements.js';

/** One row of the audit: a field, named by schema coordinate. */
export interface FieldAudit {
  /** `Type.field`. */
  readonly coordinate: string;
  readonly typeName: string;
  readonly fieldName: string;
  /**
   * What the guards check for this field wherever it is reached: its type's, its interfaces',
   * its own and its return type's requirements. Fields above it on a path may require more
   * (`Viewer.subject` needs nothing itself, but is reached only through `Query.viewer @auth`):
   * {@link FieldAudit.anonymousReachable} accounts for the paths.
   */
  readonly requirement: Requirement;
  /**
   * For a field returning an interface or union whose possible types require different things:
   * their requirements, at least one of which the guard also demands up front. Empty otherwise.
   */
  readonly anyOf: readonly Requirement[];
  /**
   * `requirement` (with `anyOf`) as JSON: `{ allOf: [] }` is no requirement, `anyOf` lists the
   * alternatives (`any of: a | b` in `formatRequirement`).
   */
  readonly description: RequirementDescription;
  /** Reachable from a root operation type with no requirement on any field or type of the path. */
  readonly anonymousReachable: boolean;
  /** A field of the mutation type with no requirement at all: anyone may call it. */
  readonly unprotectedMutation: boolean;
}

/** The result of {@link auditSchema}. */
export interface SchemaAudit {
  /** Root types' fields first (query, mutation, subscription), then the other object types'. */
  readonly fields: readonly FieldAudit[];
  /** Object type → the requirement on its data, checked before any of an item's fields. */
  readonly types: ReadonlyMap<string, Requirement>;
}

/**
 * Audits `schema` (its `@auth` / `@public` directives) under `defaultPolicy`. Interface fields
 * have no rows of their own: their requirements are in the rows of the implementing types.
 *
 * @example
 * ```ts
 * const { fields } = auditSchema(schema, { defaultPolicy: 'allow' });
 * fields.filter((row) => row.unprotectedMutation).map((row) => row.coordinate); // ['Mutation.resetAll']
 * ```
 */
export function auditSchema(schema: GraphQLSchema, options: { defaultPolicy?: DefaultPolicy } = {}): SchemaAudit {
  const plan = planGuards(schema, { defaultPolicy: options.defaultPolicy ?? 'allow' });
  const roots = [schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()]
    .filter((type): type is GraphQLObjectType => type !== undefined && type !== null);
  const others = Object.values(schema.getTypeMap()).filter(
    (type): type is GraphQLObjectType => isObjectType(type) && !isIntrospectionType(type) && !roots.includes(type),
  );
  const typeRequirement = (name: string): Requirement => plan.objectTypes.get(name) ?? NO_REQUIREMENT;
  const effective = (type: GraphQLObjectType, field: string): Requirement =>
    combine(typeRequirement(type.name), plan.fields.get(`${type.name}.${field}`) ?? NO_REQUIREMENT);

  // Breadth-first from the roots, through fields and types that require nothing.
  const open = new Set<string>();
  const queue = roots.filter((type) => typeRequirement(type.name) === NO_REQUIREMENT);
  for (const type of queue) open.add(type.name);
  while (queue.length > 0) {
    const type = queue.shift() as GraphQLObjectType;
    for (const field of Object.values(type.getFields())) {
      if (effective(type, field.name) !== NO_REQUIREMENT) continue;
      const target = getNamedType(field.type);
      const reached = isObjectType(target) ? [target] : isAbstractType(target) ? schema.getPossibleTypes(target) : [];
      for (const next of reached) {
        if (open.has(next.name) || typeRequirement(next.name) !== NO_REQUIREMENT) continue;
        open.add(next.name);
        queue.push(next);
      }
    }
  }

  const mutationType = schema.getMutationType()?.name;
  const describe = (requirement: Requirement, anyOf: readonly Requirement[]): RequirementDescription =>
    anyOf.length > 0 ? describeAnyOf(requirement, anyOf) : describeRequirement(requirement);
  const fields = [...roots, ...others].flatMap((type) => Object.values(type.getFields()).map((field): FieldAudit => {
    const requirement = effective(type, field.name);
    const anyOf = plan.anyOf.get(`${type.name}.${field.name}`) ?? [];
    // A field with an anyOf always has a requirement too (at least "authenticated").
    const unguarded = requirement === NO_REQUIREMENT;
    return {
      coordinate: `${type.name}.${field.name}`,
      typeName: type.name,
      fieldName: field.name,
      requirement,
      anyOf,
      description: isSubgraphEntitiesField(schema, type.name, field.name, field.type)
        ? { ...describe(requirement, anyOf), perRepresentation: true }
        : describe(requirement, anyOf),
      anonymousReachable: unguarded && open.has(type.name),
      unprotectedMutation: unguarded && type.name === mutationType,
    };
  }));
  return { fields, types: plan.objectTypes };
}
