/**
 * The fields `@apollo/subgraph`'s `buildSubgraphSchema` adds to a Federation subgraph's query
 * type, recognised by name and shape:
 * - `_service: _Service!` answers the router's `{ _service { sdl } }`: the schema itself, which
 *   gatepass treats like introspection (never guarded, deny-by-default included);
 * - `_entities(representations: [_Any!]!): [_Entity]!` is how the router reads an entity's
 *   fields: guarded per representation by the requested type (plan-entities.ts), so that it
 *   is not a way around the type's own guards.
 *
 * @see https://www.apollographql.com/docs/graphos/reference/federation/subgraph-spec
 */
import {
  getNamedType, isObjectType, isUnionType,
  type GraphQLNamedType, type GraphQLOutputType, type GraphQLSchema,
} from 'graphql';

/** Federation's `_Service` type, returned by `Query._service`. */
export function isSubgraphServiceType(type: GraphQLNamedType): boolean {
  return isObjectType(type) && type.name === '_Service' && Object.keys(type.getFields()).join() === 'sdl';
}

/** `Query._service`: the router's introspection of the subgraph. */
export function isSubgraphServiceField(schema: GraphQLSchema, typeName: string, fieldName: string, type: GraphQLOutputType): boolean {
  return fieldName === '_service' && typeName === schema.getQueryType()?.name && isSubgraphServiceType(getNamedType(type));
}

/** `Query._entities(representations:)`: the router's entity fetch. */
export function isSubgraphEntitiesField(schema: GraphQLSchema, typeName: string, fieldName: string, type: GraphQLOutputType): boolean {
  if (fieldName !== '_entities' || typeName !== schema.getQueryType()?.name) return false;
  const target = getNamedType(type);
  return isUnionType(target) && target.name === '_Entity';
}
