/**
 * Step-up (RFC 9470) in the pure decision: `acr` any-of, `maxAge` against `auth_time`, combined
 * so that the stricter wins, never waived by the admin override unless configured.
 */
import { describe, expect, it } from 'vitest';
import { check, type Decision } from '../../../src/directive/request/check.js';
import { stepUpParameters } from '../../../src/directive/request/step-up.js';
import { internRequirement } from '../../../src/directive/schema/intern-requirement.js';
import { parseAuthArguments } from '../../../src/directive/schema/auth-arguments.js';
import { combine, describeRequirement, type Requirement } from '../../../src/directive/schema/requirements.js';
import type { Principal } from '../../../src/token/principal.js';
import { principal } from '../fixtures.js';

const NOW = 1_800_000_000;
const r = (args: { scopes?: string[][]; acr?: string[]; maxAge?: number; adminOverride?: boolean }): Requirement =>
  internRequirement([{ scopes: args.scopes, roles: undefined, acr: args.acr, maxAge: args.maxAge, adminOverride: args.adminOverride ?? true }]);
const who = (login: { acr?: string; ageSeconds?: number; scopes?: string[]; isAdmin?: boolean; bypass?: boolean }): Principal => ({
  ...principal({ scopes: login.scopes ?? ['write:user'], isAdmin: login.isAdmin }),
  acr: login.acr,
  authTime: login.ageSeconds === undefined ? undefined : new Date((NOW - login.ageSeconds) * 1000),
  adminBypassesStepUp: login.bypass ?? false,
});

const changeEmail = r({ scopes: [['write:user']], acr: ['mfa'], maxAge: 300 });
const anyStrong = r({ acr: ['mfa', 'hwk'] });
const recent = r({ maxAge: 60 });

describe('check with step-up', () => {
  it.each<[string, Requirement, Principal | null, Decision]>([
    ['mfa login 10 s ago', changeEmail, who({ acr: 'mfa', ageSeconds: 10 }), 'allow'],
    ['mfa login exactly 300 s ago', changeEmail, who({ acr: 'mfa', ageSeconds: 300 }), 'allow'],
    ['mfa login 301 s ago', changeEmail, who({ acr: 'mfa', ageSeconds: 301 }), 'insufficient_user_authentication'],
    ['password login (acr pwd)', changeEmail, who({ acr: 'pwd', ageSeconds: 10 }), 'insufficient_user_authentication'],
    ['no acr claim', changeEmail, who({ ageSeconds: 10 }), 'insufficient_user_authentication'],
    ['no auth_time while maxAge is set', changeEmail, who({ acr: 'mfa' }), 'insufficient_user_authentication'],
    ['missing scope wins over step-up (a stronger login would not help)', changeEmail, who({ acr: 'pwd', scopes: [] }), 'forbidden'],
    ['anonymous', changeEmail, null, 'unauthenticated'],
    ['acr any-of: second value', anyStrong, who({ acr: 'hwk' }), 'allow'],
    ['acr compared whole, not as a prefix', anyStrong, who({ acr: 'mfa2' }), 'insufficient_user_authentication'],
    ['maxAge only, recent login, any acr', recent, who({ ageSeconds: 30 }), 'allow'],
    ['admin is not waived step-up', changeEmail, who({ acr: 'pwd', ageSeconds: 10, scopes: [], isAdmin: true }), 'insufficient_user_authentication'],
    ['admin with AUTH_ADMIN_STEP_UP passes by override', changeEmail, who({ acr: 'pwd', scopes: [], isAdmin: true, bypass: true }), 'allow-admin'],
    ['combined: the stricter acr wins', combine(anyStrong, r({ acr: ['hwk'] })), who({ acr: 'mfa' }), 'insufficient_user_authentication'],
    ['combined: the smaller maxAge wins', combine(changeEmail, recent), who({ acr: 'mfa', ageSeconds: 100 }), 'insufficient_user_authentication'],
  ])('%s', (_name, requirement, principal, expected) => {
    expect(check(requirement, principal, NOW)).toBe(expected);
  });
});

describe('reading and combining step-up', () => {
  it('keeps a step-up clause beside the same scopes without it (neither implies away the other)', () => {
    const plain = r({ scopes: [['write:user']] });
    expect(describeRequirement(combine(plain, changeEmail))).toEqual({ allOf: [{ scopes: [['write:user']], acr: ['mfa'], maxAge: 300 }] });
    expect(combine(changeEmail, recent).clauses).toHaveLength(2);
  });

  it('asks for the acr values every clause accepts and the smallest maxAge', () => {
    expect(stepUpParameters(combine(anyStrong, r({ acr: ['hwk', 'mfa', 'otp'] }), changeEmail, recent).clauses)).toEqual({ acr_values: 'mfa', max_age: 60 });
    expect(stepUpParameters(anyStrong.clauses)).toEqual({ acr_values: 'hwk mfa' });
  });

  it.each<[string, Record<string, unknown>, string]>([
    ['empty acr list', { acr: [] }, 'acr: null or [] can never be satisfied (leave acr out to accept any acr)'],
    ['acr with a space', { acr: ['a b'] }, 'acr: "a b" is not an acr value (a non-empty string without spaces or quotes)'],
    ['negative maxAge', { maxAge: -1 }, 'maxAge: -1 is not a whole number of seconds from 0 to 31536000'],
    ['maxAge null', { maxAge: null }, 'maxAge: null is not a whole number of seconds from 0 to 31536000'],
  ])('refuses %s at schema build', (_name, args, problem) => {
    expect(parseAuthArguments(args).problems).toEqual([problem]);
  });
});
