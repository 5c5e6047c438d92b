/**
 * The oracle of the no-leak property: given a response, the operation and the principal, lists
 * every value the principal may not read, judged by the coverage audit's effective requirements
 * and `check` alone (not by the guards under test).
 */
import {
  getNamedType, isAbstractType, isObjectType, Kind,
  type DocumentNode, type FragmentDefinitionNode, type GraphQLOutputType, type GraphQLSchema, type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import { collectFields } from '@graphql-tools/utils';
import type { SchemaAudit } from '../../src/directive/schema/audit.js';
import { check } from '../../src/directive/request/check.js';
import type { Requirement } from '../../src/directive/schema/requirements.js';
import type { Principal } from '../../src/token/principal.js';

/** Judges responses of one schema; a violation is a human-readable `path: what leaked`. */
export function createOracle(schema: GraphQLSchema, audit: SchemaAudit) {
  const fields = new Map(audit.fields.map((row) => [row.coordinate, row.requirement]));
  const may = (requirement: Requirement | undefined, who: Principal | null) => {
    const decision = check(requirement ?? { clauses: [], key: '[]' }, who);
    return decision === 'allow' || decision === 'allow-admin';
  };

  return function violations(data: unknown, document: DocumentNode, variables: Record<string, unknown>, who: Principal | null): string[] {
    const found: string[] = [];
    const operation = document.definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
    const fragments: Record<string, FragmentDefinitionNode> = {};
    for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments[d.name.value] = d;
    const root = operation && schema.getRootType(operation.operation);
    if (!operation || !root) return ['no operation'];

    const judge = (value: unknown, type: GraphQLOutputType, sets: readonly SelectionSetNode[], path: string): void => {
      if (value === null || value === undefined) return;
      if (Array.isArray(value)) {
        value.forEach((item, i) => judge(item, type, sets, `${path}.${i}`));
        return;
      }
      const named = getNamedType(type);
      if (!isObjectType(named) && !isAbstractType(named)) return; // a leaf, judged with its field
      const typename = (value as Record<string, unknown>)['__typename'];
      const concrete = isObjectType(named) ? named : typeof typename === 'string' ? schema.getType(typename) : undefined;
      if (!isObjectType(concrete)) {
        found.push(`${path}: cannot tell the concrete type`);
        return;
      }
      // An object in the response reveals that an item of this type exists (the root reveals
      // nothing: its fields carry its type's requirement).
      if (path !== '$' && !may(audit.types.get(concrete.name), who)) found.push(`${path}: a ${concrete.name}`);
      const merged: SelectionSetNode = { kind: Kind.SELECTION_SET, selections: sets.flatMap((s) => s.selections) };
      for (const [key, nodes] of collectFields(schema, fragments, variables, concrete, merged).fields) {
        const record = value as Record<string, unknown>;
        const name = nodes[0]?.name.value;
        if (name === undefined || name === '__typename' || record[key] === null || record[key] === undefined) continue;
        if (!may(fields.get(`${concrete.name}.${name}`), who)) found.push(`${path}.${key}: ${concrete.name}.${name}`);
        const field = concrete.getFields()[name];
        const sub = nodes.flatMap((n) => (n.selectionSet ? [n.selectionSet] : []));
        if (field) judge(record[key], field.type, sub, `${path}.${key}`);
      }
    };
    judge(data, root, [operation.selectionSet], '$');
    return found;
  };
}
