/**
 * check(): the pure decision, one row per rule.
 */
import { describe, expect, it } from 'vitest';
import { check, type Decision } from '../../../src/directive/request/check.js';
import { internRequirement } from '../../../src/directive/schema/intern-requirement.js';
import { AUTHENTICATED, NO_REQUIREMENT, combine, type Requirement } from '../../../src/directive/schema/requirements.js';
import type { Principal } from '../../../src/token/principal.js';
import { principal } from '../fixtures.js';

const r = (scopes?: string[][], roles?: string[][], adminOverride = true): Requirement =>
  internRequirement([{ scopes, roles, adminOverride }]);

const readUser = r([['read:user']]);
const aAndB = r([['a', 'b']]);
const aAndBOrC = r([['a', 'b'], ['c']]);
const scopeAndRole = r([['s']], [['r']]);
const banker = r(undefined, [['banker']], false);
const admin = principal({ roles: ['admin'], isAdmin: true });

const rows: Array<[string, Requirement, Principal | null, Decision]> = [
  ['no requirement, anonymous', NO_REQUIREMENT, null, 'allow'],
  ['authenticated, anonymous', AUTHENTICATED, null, 'unauthenticated'],
  ['authenticated, any principal', AUTHENTICATED, principal(), 'allow'],
  ['scope, anonymous', readUser, null, 'unauthenticated'],
  ['scope, admin never stands in for authentication', readUser, null, 'unauthenticated'],
  ['scope held', readUser, principal({ scopes: ['read:user'] }), 'allow'],
  ['scope missing', readUser, principal({ scopes: ['write:user'] }), 'forbidden'],
  ['longer scope is not the scope', readUser, principal({ scopes: ['read:user:all', 'read:users'] }), 'forbidden'],
  ['shorter scope is not the scope', readUser, principal({ scopes: ['read', 'read:'] }), 'forbidden'],
  ['case matters', readUser, principal({ scopes: ['READ:USER'] }), 'forbidden'],
  ['space-joined scopes are not split here', readUser, principal({ scopes: ['read:user write:user'] }), 'forbidden'],
  ['a role of the same name is not a scope', readUser, principal({ roles: ['read:user'] }), 'forbidden'],
  ['AND group: half', aAndB, principal({ scopes: ['a'] }), 'forbidden'],
  ['AND group: all', aAndB, principal({ scopes: ['a', 'b'] }), 'allow'],
  ['alternatives: second', aAndBOrC, principal({ scopes: ['c'] }), 'allow'],
  ['alternatives: none complete', aAndBOrC, principal({ scopes: ['a'] }), 'forbidden'],
  ['scopes and roles: scope only', scopeAndRole, principal({ scopes: ['s'] }), 'forbidden'],
  ['scopes and roles: role only', scopeAndRole, principal({ roles: ['r'] }), 'forbidden'],
  ['scopes and roles: both', scopeAndRole, principal({ scopes: ['s'], roles: ['r'] }), 'allow'],
  ['type AND field: field only', combine(readUser, r([['read:email']])), principal({ scopes: ['read:email'] }), 'forbidden'],
  ['admin override', aAndBOrC, admin, 'allow-admin'],
  ['admin who holds the scopes passes on them', readUser, principal({ scopes: ['read:user'], isAdmin: true }), 'allow'],
  ['adminOverride: false, admin', banker, admin, 'forbidden'],
  ['adminOverride: false, holder', banker, principal({ roles: ['banker'] }), 'allow'],
  ['per clause: opted-out clause held, other overridden', combine(banker, readUser), principal({ roles: ['banker'], isAdmin: true }), 'allow-admin'],
  ['per clause: opted-out clause not held', combine(banker, readUser), admin, 'forbidden'],
  ['empty alternatives can never hold', internRequirement([{ scopes: [], roles: undefined, adminOverride: false }]), principal({ scopes: ['a'] }), 'forbidden'],
];

describe('check', () => {
  it.each(rows)('%s → %s', (_name, requirement, who, expected) => {
    expect(check(requirement, who)).toBe(expected);
  });
});
