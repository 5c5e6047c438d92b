/**
 * Does the schema declare `@auth` and `@public` exactly as gatepass reads them? A schema that
 * declares its own `@auth(scopes: [String!])` would have `["a","b"]` read as a OR b without a
 * word; any difference from {@link AUTH_DIRECTIVE_SDL} fails the build instead (fail closed).
 *
 * @see https://spec.graphql.org/October2021/#sec-Type-System.Directives
 */
import { buildSchema, print, astFromValue, type GraphQLDirective, type GraphQLSchema } from 'graphql';
import { AUTH_DIRECTIVE, AUTH_DIRECTIVE_SDL, PUBLIC_DIRECTIVE } from './sdl.js';

/** A declaration that differs, shaped like a `SchemaProblem`. */
export interface DeclarationProblem {
  readonly severity: 'error';
  readonly coordinate: string;
  readonly message: string;
}

/** gatepass's own declarations, built once. */
const CANONICAL = buildSchema(AUTH_DIRECTIVE_SDL);

/**
 * Compares each of `@auth` and `@public` the schema declares with gatepass's: arguments
 * (name, type, default) and locations. A directive the schema does not declare (code-first
 * `extensions.directives`) is not compared.
 *
 * @example
 * ```ts
 * declarationProblems(buildSchema('directive @auth(scopes: [String!]) on FIELD_DEFINITION type Query { a: Int }'));
 * // [{ coordinate: '@auth', message: '… argument scopes is [String!], gatepass reads [[String!]!] …' }]
 * ```
 */
export function declarationProblems(schema: GraphQLSchema): DeclarationProblem[] {
  const problems: DeclarationProblem[] = [];
  for (const name of [AUTH_DIRECTIVE, PUBLIC_DIRECTIVE]) {
    const declared = schema.getDirective(name);
    const canonical = CANONICAL.getDirective(name)!;
    if (!declared || declared === canonical) continue;
    const differences = differencesOf(declared, canonical);
    if (differences.length === 0) continue;
    problems.push({
      severity: 'error',
      coordinate: `@${name}`,
      message: `declared differently from gatepass's @${name}: ${differences.join('; ')} (declare it with AUTH_DIRECTIVE_SDL or schema/auth.graphql, not by hand)`,
    });
  }
  return problems;
}

function differencesOf(declared: GraphQLDirective, canonical: GraphQLDirective): string[] {
  const differences: string[] = [];
  for (const expected of canonical.args) {
    const actual = declared.args.find((arg) => arg.name === expected.name);
    if (!actual) differences.push(`argument ${expected.name} is missing`);
    else if (String(actual.type) !== String(expected.type)) differences.push(`argument ${expected.name} is ${actual.type}, gatepass reads ${expected.type}`);
    else if (defaultOf(actual) !== defaultOf(expected)) differences.push(`argument ${expected.name} defaults to ${defaultOf(actual)}, gatepass's to ${defaultOf(expected)}`);
  }
  for (const extra of declared.args.filter((arg) => !canonical.args.some((c) => c.name === arg.name))) {
    differences.push(`argument ${extra.name} is not one gatepass reads`);
  }
  const locations = (d: GraphQLDirective): string => [...d.locations].sort().join(' | ');
  if (locations(declared) !== locations(canonical)) differences.push(`locations are ${locations(declared)}, gatepass's are ${locations(canonical)}`);
  if (declared.isRepeatable !== canonical.isRepeatable) differences.push(declared.isRepeatable ? 'it is repeatable' : 'it is not repeatable');
  return differences;
}

function defaultOf(arg: GraphQLDirective['args'][number]): string {
  if (arg.defaultValue === undefined) return 'nothing';
  const ast = astFromValue(arg.defaultValue, arg.type);
  return ast ? print(ast) : 'nothing';
}
