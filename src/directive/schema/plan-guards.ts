/**
 * Where each requirement is checked, computed once from the schema: which fields get a guard
 * (and with which combined requirement), and which abstract types check the concrete type.
 *
 * The rule that keeps checks few and leaks nothing: a guarded object type's data is checked at
 * its entry, i.e. on every way graphql-js can reach an object of that type:
 * - a field returning the object type (through any lists and non-nulls) checks the type's
 *   requirement up front, before its resolver runs;
 * - a field returning an interface or union checks up front what every possible type requires
 *   (at least the interface's own `@auth`) and, when they differ, that the principal may read at
 *   least one of them (abstract-entry.ts); the abstract type's `resolveType` then checks the
 *   concrete type of each item before any of its fields (or `__typename`) is completed;
 * - root operation types are reached without a field, so their fields check the type's own
 *   requirement themselves.
 * Fields of a guarded type that add nothing of their own therefore keep their resolver
 * untouched; fields that do add (own `@auth`, an interface field's `@auth`) check the whole
 * conjunction, type included.
 *
 * @see DESIGN.md "@auth semantics (the contract)"
 */
import {
  getNamedType, isAbstractType, isInterfaceType, isIntrospectionType, isLeafType, isObjectType,
  type GraphQLNamedType, type GraphQLObjectType, type GraphQLSchema,
} from 'graphql';
import { getDirective, type DirectableGraphQLObject } from '@graphql-tools/utils';
import type { DefaultPolicy } from '../../config/config.js';
import { planAbstractEntry, type AbstractEntry } from './abstract-entry.js';
import { requirementImplies } from './intern-requirement.js';
import { AUTHENTICATED, NO_REQUIREMENT, combine, readRequirement, type Requirement } from './requirements.js';
import { PUBLIC_DIRECTIVE } from './sdl.js';
import { isSubgraphServiceField, isSubgraphServiceType } from './subgraph-fields.js';

/** The guards of a schema, by name: stable across `mapSchema`, which rebuilds the type objects. */
export interface GuardPlan {
  /** `Type.field` → requirement checked before the field's resolver; absent = unguarded. */
  readonly fields: ReadonlyMap<string, Requirement>;
  /** Object type → requirement on its data (own `@auth`, its interfaces', the default policy). */
  readonly objectTypes: ReadonlyMap<string, Requirement>;
  /** Interfaces and unions whose `resolveType` must check the concrete type per item. */
  readonly abstractTypes: ReadonlySet<string>;
  /**
   * `Type.field` (always also in `fields`) → the possible types' requirements of its abstract
   * return type, at least one of which must be met before the resolver runs; absent when the
   * field's requirement already admits to some possible type.
   */
  readonly anyOf: ReadonlyMap<string, readonly Requirement[]>;
}

/**
 * Plans the guards of `schema`. With `defaultPolicy: 'deny'`, an object type with no
 * requirement and no `@public` (on itself or any of its fields) requires authentication as a
 * type (checked at its entry like any guarded type); in a type that has `@public` fields, each
 * other field with no requirement requires authentication itself.
 */
export function planGuards(schema: GraphQLSchema, options: { defaultPolicy: DefaultPolicy }): GuardPlan {
  const deny = options.defaultPolicy === 'deny';
  const read = new Map<DirectableGraphQLObject, Requirement>();
  const own = (element: DirectableGraphQLObject): Requirement => {
    let requirement = read.get(element);
    if (requirement === undefined) read.set(element, (requirement = readRequirement(schema, element)));
    return requirement;
  };
  const isPublic = (element: DirectableGraphQLObject): boolean =>
    (getDirective(schema, element, PUBLIC_DIRECTIVE)?.length ?? 0) > 0;
  // Federation's `_service { sdl }` is the router's introspection: open, like introspection.
  const objects = Object.values(schema.getTypeMap()).filter(
    (type): type is GraphQLObjectType => isObjectType(type) && !isIntrospectionType(type) && !isSubgraphServiceType(type),
  );

  const objectTypes = new Map<string, Requirement>();
  for (const type of objects) {
    let requirement = combine(own(type), ...type.getInterfaces().map(own));
    const opened = isPublic(type) || Object.values(type.getFields()).some(isPublic);
    if (deny && requirement === NO_REQUIREMENT && !opened) requirement = AUTHENTICATED;
    objectTypes.set(type.name, requirement);
  }
  const typeRequirement = (name: string): Requirement => objectTypes.get(name) ?? NO_REQUIREMENT;

  const abstractEntries = new Map<string, AbstractEntry>();
  const abstractTypes = new Set<string>();
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isAbstractType(type) || isIntrospectionType(type)) continue;
    const possible = schema.getPossibleTypes(type).map((t) => typeRequirement(t.name));
    const upFront = possible.length > 0
      ? planAbstractEntry(possible)
      : { common: isInterfaceType(type) ? own(type) : NO_REQUIREMENT, anyOf: [] };
    abstractEntries.set(type.name, upFront);
    if (possible.some((requirement) => requirement !== upFront.common)) abstractTypes.add(type.name);
  }
  const entry = (type: GraphQLNamedType): Requirement => {
    if (isObjectType(type)) return typeRequirement(type.name);
    // The Router's directives may guard a scalar or an enum: every field returning it checks that.
    if (isLeafType(type)) return own(type);
    return abstractEntries.get(type.name)?.common ?? NO_REQUIREMENT;
  };

  const roots = new Set(
    [schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()].flatMap((t) => (t ? [t.name] : [])),
  );
  const fields = new Map<string, Requirement>();
  const anyOf = new Map<string, readonly Requirement[]>();
  for (const type of objects) {
    const typeLevel = typeRequirement(type.name);
    for (const field of Object.values(type.getFields())) {
      if (isSubgraphServiceField(schema, type.name, field.name, field.type)) continue;
      const fromInterfaces = type.getInterfaces().flatMap((i) => {
        const inherited = i.getFields()[field.name];
        return inherited ? [own(inherited)] : [];
      });
      const byDefault =
        deny && typeLevel === NO_REQUIREMENT && !isPublic(type) && !isPublic(field) ? AUTHENTICATED : NO_REQUIREMENT;
      const target = getNamedType(field.type);
      const added = combine(own(field), ...fromInterfaces, entry(target), byDefault);
      // Non-root objects were checked at their entry; recheck the type only where it is free.
      if (added === NO_REQUIREMENT && !roots.has(type.name)) continue;
      const requirement = combine(added, typeLevel);
      if (requirement === NO_REQUIREMENT) continue;
      const coordinate = `${type.name}.${field.name}`;
      fields.set(coordinate, requirement);
      // A non-empty anyOf comes with a non-empty common part, so such a field is always here.
      const alternatives = abstractEntries.get(target.name)?.anyOf ?? [];
      if (alternatives.some((alternative) => requirementImplies(requirement, alternative))) continue;
      if (alternatives.length > 0) anyOf.set(coordinate, alternatives);
    }
  }
  return { fields, objectTypes, abstractTypes, anyOf };
}
