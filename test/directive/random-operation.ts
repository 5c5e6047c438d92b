/**
 * Random, valid query operations over a schema, for property tests: random selections to a
 * bounded depth, aliases, inline fragments and named fragments (on object types, interfaces
 * and union members), `@include`/`@skip` on a `$inc` variable. Every selection set of an
 * abstract type selects `__typename`, so a judge can tell each item's concrete type.
 *
 * The arbitraries build a tree; printing gives aliases and fragment names deterministically.
 */
import fc from 'fast-check';
import {
  getNamedType, isAbstractType, isInterfaceType, isLeafType, isNonNullType, isObjectType,
  type GraphQLField, type GraphQLNamedType, type GraphQLSchema,
} from 'graphql';

type Directive = '' | ' @include(if: $inc)' | ' @skip(if: $inc)';
type Selection =
  | { kind: 'field'; name: string; args: string; alias: boolean; directive: Directive; sub?: Selection[] }
  | { kind: 'inline' | 'spread'; on: string; directive: Directive; sub: Selection[] };

// Argument values the example data answers to (and some it does not).
const ARGUMENT_VALUES: Record<string, readonly string[]> = {
  id: ['"u1"', '"u2"', '"p1"', '"p3"', '"nope"'],
  text: ['"e"', '"a"', '"alice"', '""'],
};
const directiveArbitrary: fc.Arbitrary<Directive> = fc.constantFrom<Directive>('', '', '', ' @include(if: $inc)', ' @skip(if: $inc)');

/** An arbitrary query operation (as source text) over `schema`, nesting at most `depth` levels. */
export function operationArbitrary(schema: GraphQLSchema, depth = 3): fc.Arbitrary<string> {
  const memo = new Map<string, fc.Arbitrary<Selection[]>>();

  const argumentsOf = (field: GraphQLField<unknown, unknown>): fc.Arbitrary<string> | undefined => {
    const required = field.args.filter((arg) => isNonNullType(arg.type));
    const parts: Array<fc.Arbitrary<string>> = [];
    for (const arg of required) {
      const values = ARGUMENT_VALUES[arg.name];
      if (values === undefined) return undefined; // a field we cannot call: left out
      parts.push(fc.constantFrom(...values).map((value) => `${arg.name}: ${value}`));
    }
    return parts.length === 0 ? fc.constant('') : fc.tuple(...parts).map((list) => `(${list.join(', ')})`);
  };

  const fieldArbitrary = (field: GraphQLField<unknown, unknown>, level: number): fc.Arbitrary<Selection> | undefined => {
    const args = argumentsOf(field);
    const target = getNamedType(field.type);
    if (args === undefined || (!isLeafType(target) && level >= depth)) return undefined;
    const sub = isLeafType(target) ? fc.constant(undefined) : selectionsOf(target, level + 1);
    return fc.record({ args, alias: fc.boolean(), directive: directiveArbitrary, sub })
      .map(({ args: a, alias, directive, sub: s }): Selection => ({ kind: 'field', name: field.name, args: a, alias: alias || a !== '', directive, ...(s ? { sub: s } : {}) }));
  };

  const fragmentArbitrary = (on: GraphQLNamedType, level: number): fc.Arbitrary<Selection> =>
    fc.record({ kind: fc.constantFrom<'inline' | 'spread'>('inline', 'spread'), directive: directiveArbitrary, sub: fc.constant(null) })
      .chain(({ kind, directive }) => selectionsOf(on, level).map((sub): Selection => ({ kind, on: on.name, directive, sub })));

  function selectionsOf(type: GraphQLNamedType, level: number): fc.Arbitrary<Selection[]> {
    const key = `${type.name}:${level}`;
    const known = memo.get(key);
    if (known) return known;
    const choices: Array<fc.Arbitrary<Selection>> = [];
    let always: Selection[] = [];
    if (isObjectType(type) || isInterfaceType(type)) {
      for (const field of Object.values(type.getFields())) {
        const arbitrary = fieldArbitrary(field, level);
        if (arbitrary) choices.push(arbitrary);
      }
    }
    if (isAbstractType(type)) {
      always = [{ kind: 'field', name: '__typename', args: '', alias: false, directive: '' }];
      for (const possible of schema.getPossibleTypes(type)) choices.push(fc.constant(null).chain(() => fragmentArbitrary(possible, level)));
    }
    const leaves = choices.length;
    // A fragment on the type itself (the spread of a named fragment, mostly), less often.
    if (leaves > 0 && level < depth) choices.push(fc.constant(null).chain(() => fragmentArbitrary(type, level + 1)));
    // `__typename` is valid everywhere: the fallback of a type with nothing else left at this depth.
    if (choices.length === 0) choices.push(fc.constant<Selection>({ kind: 'field', name: '__typename', args: '', alias: false, directive: '' }));
    const arbitrary = fc.array(fc.oneof(...choices), { minLength: 1, maxLength: 4 }).map((list) => [...always, ...list]);
    memo.set(key, arbitrary);
    return arbitrary;
  }

  const query = schema.getQueryType();
  if (!query) throw new Error('the schema has no query type');
  return selectionsOf(query, 0).map(printOperation);
}

/** Prints the tree as a query with unique aliases and one fragment definition per spread. */
function printOperation(selections: Selection[]): string {
  let aliases = 0;
  const fragments: string[] = [];
  const print = (list: Selection[]): string => list.map((selection) => {
    if (selection.kind === 'field') {
      const alias = selection.alias ? `a${aliases++}: ` : '';
      const sub = selection.sub ? ` { ${print(selection.sub)} }` : '';
      return `${alias}${selection.name}${selection.args}${selection.directive}${sub}`;
    }
    const body = print(selection.sub);
    if (selection.kind === 'inline') return `... on ${selection.on}${selection.directive} { ${body} }`;
    const name = `F${fragments.length}`;
    fragments.push(`fragment ${name} on ${selection.on} { ${body} }`);
    return `...${name}${selection.directive}`;
  }).join(' ');
  const body = print(selections);
  const all = [body, ...fragments].join('\n');
  // An unused variable makes the operation invalid: declare it only when used.
  return [`query Q${all.includes('$inc') ? '($inc: Boolean!)' : ''} { ${body} }`, ...fragments].join('\n');
}
