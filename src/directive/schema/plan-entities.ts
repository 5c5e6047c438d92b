/**
 * What `_entities(representations:)` checks for each representation before the subgraph's
 * `__resolveReference` runs, by the representation's `__typename`, computed once at build.
 *
 * An entity read through `_entities` is guarded as the type is on any other path: its type's
 * requirement (own `@auth` / Router directives, its interfaces', the default policy) — and, when
 * every field of the type requires something, at least one of those fields' requirements, since
 * a principal who may read none of its fields may read nothing of the entity. An entity interface
 * (`@key` on an interface) is checked as a field returning it would be (abstract-entry.ts).
 * The guarded fields of an entity that is resolved are then checked one by one as usual.
 *
 * @see DESIGN.md "@auth semantics (the contract)"
 */
import { isInterfaceType, isObjectType, type GraphQLSchema } from 'graphql';
import { planAbstractEntry, type AbstractEntry } from './abstract-entry.js';
import type { GuardPlan } from './plan-guards.js';
import { NO_REQUIREMENT, combine } from './requirements.js';

/**
 * The entry check of every object and interface type a representation may name.
 *
 * @example
 * ```ts
 * // type User @key(fields: "id") @requiresScopes(scopes: [["read:user"]]) { id: ID! name: String }
 * planEntities(schema, plan).get('User'); // { common: read:user (@requiresScopes), anyOf: [] }
 * ```
 */
export function planEntities(schema: GraphQLSchema, plan: GuardPlan): ReadonlyMap<string, AbstractEntry> {
  const entries = new Map<string, AbstractEntry>();
  for (const type of Object.values(schema.getTypeMap())) {
    if (isObjectType(type)) {
      const typeLevel = plan.objectTypes.get(type.name);
      if (typeLevel === undefined) continue; // introspection and federation's own types
      const fields = Object.keys(type.getFields()).map((name) => plan.fields.get(`${type.name}.${name}`) ?? typeLevel);
      const byFields = planAbstractEntry(fields);
      entries.set(type.name, { common: combine(typeLevel, byFields.common), anyOf: byFields.anyOf });
    } else if (isInterfaceType(type)) {
      const possible = schema.getPossibleTypes(type).map((t) => plan.objectTypes.get(t.name) ?? NO_REQUIREMENT);
      entries.set(type.name, planAbstractEntry(possible));
    }
  }
  return entries;
}
