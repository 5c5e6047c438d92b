/**
 * planAbstractEntry: what a field returning an interface or union checks up front, from its
 * possible types' requirements: the clauses all of them imply, and the alternatives one of
 * which must hold when those clauses do not already admit to a possible type.
 */
import { describe, expect, it } from 'vitest';
import { describeAnyOf, planAbstractEntry } from '../../../src/directive/schema/abstract-entry.js';
import { decideAnyOf, type Decision } from '../../../src/directive/request/check.js';
import { internRequirement } from '../../../src/directive/schema/intern-requirement.js';
import { AUTHENTICATED, NO_REQUIREMENT, combine, describeRequirement, type Requirement, type RequirementDescription } from '../../../src/directive/schema/requirements.js';

const r = (scopes?: string[][], roles?: string[][], adminOverride = true): Requirement =>
  internRequirement([{ scopes, roles, adminOverride }]);
const [a, b, x, xy, r1, r2] = [r([['a']]), r([['b']]), r([['x']]), r([['x', 'y']]), r(undefined, [['r1']]), r(undefined, [['r2']])];
const d = describeRequirement;

describe('planAbstractEntry', () => {
  it.each<[string, Requirement[], RequirementDescription, RequirementDescription[]]>([
    ['a member without requirement: nothing up front', [a, NO_REQUIREMENT], d(NO_REQUIREMENT), []],
    ['one requirement for all: it, and no alternatives', [a, a], d(a), []],
    ['different scopes: authenticated, then a OR b', [a, b], d(AUTHENTICATED), [d(a), d(b)]],
    ['different roles', [r1, r2], d(AUTHENTICATED), [d(r1), d(r2)]],
    ['x and (x AND y): x is common, and admits to X', [x, xy], d(x), []],
    ['a common clause beside different ones', [combine(a, x), combine(b, x)], d(x), [d(combine(a, x)), d(combine(b, x))]],
    ['the weaker of two alternatives is enough', [a, combine(a, b), b], d(AUTHENTICATED), [d(a), d(b)]],
    ['authenticated for one member: authenticated suffices', [AUTHENTICATED, a], d(AUTHENTICATED), []],
  ])('%s', (_name, members, common, anyOf) => {
    const entry = planAbstractEntry(members);
    expect([d(entry.common), entry.anyOf.map(d)]).toEqual([common, anyOf]);
  });
});

describe('decideAnyOf', () => {
  it.each<[string, Decision[], Decision]>([
    ['one allows', ['forbidden', 'allow'], 'allow'],
    ['only the admin override', ['allow-admin', 'forbidden'], 'allow-admin'],
    ['none, with a principal', ['forbidden', 'forbidden'], 'forbidden'],
    ['none, anonymous', ['unauthenticated', 'unauthenticated'], 'unauthenticated'],
  ])('%s', (_name, decisions, expected) => {
    const alternatives = [a, b];
    expect(decideAnyOf(alternatives, (requirement) => decisions[alternatives.indexOf(requirement)] as Decision)).toBe(expected);
  });
});

describe('describeAnyOf', () => {
  it('leaves out what every alternative implies, keeps the rest', () => {
    const own = r([['w']]);
    expect(describeAnyOf(combine(own, AUTHENTICATED), [a, b])).toEqual({ allOf: d(own).allOf, anyOf: [d(a), d(b)] });
    expect(describeAnyOf(AUTHENTICATED, [a, b])).toEqual({ allOf: [], anyOf: [d(a), d(b)] });
  });
});
