/**
 * The directive SDL: schema/auth.graphql and AUTH_DIRECTIVE_SDL agree, and the SDL builds.
 */
import { readFileSync } from 'node:fs';
import { buildSchema, print, parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { AUTH_DIRECTIVE_SDL } from '../../../src/directive/schema/sdl.js';

describe('AUTH_DIRECTIVE_SDL', () => {
  it('is the text of schema/auth.graphql', () => {
    const file = readFileSync(new URL('../../../schema/auth.graphql', import.meta.url), 'utf8');
    expect(file).toBe(AUTH_DIRECTIVE_SDL);
    expect(print(parse(file))).toBe(print(parse(AUTH_DIRECTIVE_SDL)));
  });

  it.each([
    ['auth', ['OBJECT', 'INTERFACE', 'FIELD_DEFINITION'], ['scopes: [[String!]!]', 'roles: [[String!]!]', 'adminOverride: Boolean']],
    ['public', ['FIELD_DEFINITION', 'OBJECT'], []],
  ])('declares @%s', (name, locations, args) => {
    const directive = buildSchema(`${AUTH_DIRECTIVE_SDL}\ntype Query { a: String }`).getDirective(name);
    expect(directive?.locations).toEqual(locations);
    expect(directive?.args.map((arg) => `${arg.name}: ${String(arg.type)}`)).toEqual(args);
    expect(directive?.args.find((arg) => arg.name === 'adminOverride')?.defaultValue ?? true).toBe(true);
  });
});
