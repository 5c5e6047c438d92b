/**
 * Finds `@auth(scopes: ["a","b"])`: by GraphQL list input coercion a flat list of names is a
 * list of one-name groups, so it means a OR b, which is rarely what its author meant.
 *
 * Read from the raw AST value (after coercion both forms look alike) and from untyped
 * `extensions.directives` values.
 *
 * @see https://spec.graphql.org/October2021/#sec-List.Input-Coercion
 */
import { Kind, type ValueNode } from 'graphql';
import type { DirectableGraphQLObject } from '@graphql-tools/utils';
import { AUTH_DIRECTIVE } from './sdl.js';

/** A warning about one flat list, shaped like a `SchemaProblem`. */
export interface FlatListWarning {
  readonly severity: 'warning';
  readonly coordinate: string;
  readonly message: string;
}

/**
 * Returns one warning per `scopes`/`roles` argument of `element`'s `@auth` (and of the Router's
 * `@requiresScopes` / `@policy`, under the names in `directives`) written as a flat list of more
 * than one name, showing the nested form for AND.
 */
export function flatListWarnings(
  element: DirectableGraphQLObject, coordinate: string, directives: readonly string[] = [AUTH_DIRECTIVE],
): FlatListWarning[] {
  const warnings: FlatListWarning[] = [];
  const warn = (directive: string, argument: string, names: readonly string[]): void => {
    const flat = JSON.stringify(names);
    const or = names.join(' OR ');
    const and = names.join(' AND ');
    warnings.push({
      severity: 'warning',
      coordinate,
      message: `@${directive}(${argument}: ${flat}) means ${or}; write [${flat}] for ${and}` +
        ` (or ${JSON.stringify(names.map((name) => [name]))} to keep ${or} without this warning)`,
    });
  };
  const nodes = [element.astNode, ...(element.extensionASTNodes ?? [])];
  for (const node of nodes) {
    for (const directive of node?.directives ?? []) {
      if (!directives.includes(directive.name.value)) continue;
      for (const argument of directive.arguments ?? []) {
        const names = flatStrings(argument.value);
        if (names) warn(directive.name.value, argument.name.value, names);
      }
    }
  }
  for (const directive of directives) {
    const fromExtensions = (element.extensions as { directives?: Record<string, unknown> } | undefined)?.directives?.[directive];
    for (const args of Array.isArray(fromExtensions) ? fromExtensions : fromExtensions ? [fromExtensions] : []) {
      for (const argument of ['scopes', 'roles', 'policies']) {
        const value: unknown = (args as Record<string, unknown>)[argument];
        if (Array.isArray(value) && value.length > 1 && value.every((item) => typeof item === 'string')) {
          warn(directive, argument, value as string[]);
        }
      }
    }
  }
  return warnings;
}

function flatStrings(value: ValueNode): string[] | undefined {
  if (value.kind !== Kind.LIST || value.values.length < 2) return undefined;
  const names: string[] = [];
  for (const item of value.values) {
    if (item.kind !== Kind.STRING) return undefined;
    names.push(item.value);
  }
  return names;
}
