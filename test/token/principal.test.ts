import { describe, expect, it } from 'vitest';
import { readClaimPath, toPrincipal } from '../../src/token/principal.js';
import { policyFor } from './fixtures.js';

const base = { iss: 'https://as', sub: 'u1', aud: 'https://api.test', iat: 1_700_000_000, exp: 1_700_000_300 };
const sorted = (set: ReadonlySet<string>): string[] => [...set].sort();

describe('toPrincipal: provider claim shapes (built from public docs)', () => {
  it.each<[string, Record<string, unknown>, Partial<Parameters<typeof policyFor>[1]>, string[], string[], boolean]>([
    // Auth0: RBAC `permissions` array, custom claims namespaced by URL (dots and slashes).
    [
      'Auth0',
      { permissions: ['read:users', 'write:users'], 'https://example.com/roles': ['editor'], azp: 'auth0-client', scope: 'openid read:users' },
      { roleClaims: ['https://example.com/roles'] },
      ['openid', 'read:users', 'write:users'],
      ['editor'],
      false,
    ],
    // Okta: `scp` is an array; `cid` is the client.
    ['Okta', { scp: ['openid', 'users.read'], cid: '0oa1' }, {}, ['openid', 'users.read'], [], false],
    // Entra ID (v2): delegated `scp` space-separated string; app `roles` array.
    ['Entra', { scp: 'User.Read Files.Read', roles: ['Admin.Write', 'admin'], azp: 'entra-app' }, {}, ['Files.Read', 'User.Read'], ['Admin.Write', 'admin'], true],
    // Keycloak: realm and client roles; payload typ Bearer.
    [
      'Keycloak',
      { typ: 'Bearer', scope: 'profile email', realm_access: { roles: ['offline_access', 'user'] }, resource_access: { 'my-api': { roles: ['reader'] } }, azp: 'kc' },
      { roleClaims: ['realm_access.roles', 'resource_access.my-api.roles'] },
      ['email', 'profile'],
      ['offline_access', 'reader', 'user'],
      false,
    ],
    // Cognito: groups as roles; `client_id` is the audience; scope string.
    ['Cognito', { aud: undefined, client_id: 'app1', token_use: 'access', scope: 'aws.cognito.signin.user.admin', 'cognito:groups': ['admins'] }, { roleClaims: ['cognito:groups'], audienceClaim: 'client_id' }, ['aws.cognito.signin.user.admin'], ['admins'], false],
    // ZITADEL: roles as an object keyed by role name.
    [
      'ZITADEL',
      { 'urn:zitadel:iam:org:project:roles': { admin: { '1234': 'acme.zitadel.cloud' }, viewer: { '1234': 'acme.zitadel.cloud' } } },
      { roleClaims: ['urn:zitadel:iam:org:project:roles'] },
      [],
      ['admin', 'viewer'],
      true,
    ],
  ])('%s', (_name, claims, overrides, scopes, roles, isAdmin) => {
    const principal = toPrincipal({ ...base, ...claims }, policyFor(['https://as'], overrides));
    expect(sorted(principal.scopes)).toEqual(scopes);
    expect(sorted(principal.roles)).toEqual(roles);
    expect(principal.isAdmin).toBe(isAdmin);
    expect(principal.subject).toBe('u1');
  });

  it('maps the standard claims', () => {
    const principal = toPrincipal({ ...base, jti: 'j', client_id: 'c', azp: 'z', aud: ['a', 'b'] }, policyFor(['https://as']));
    expect(principal).toMatchObject({
      subject: 'u1',
      clientId: 'c',
      issuer: 'https://as',
      audience: ['a', 'b'],
      expiresAt: new Date(1_700_000_300_000),
      issuedAt: new Date(1_700_000_000_000),
      tokenId: 'j',
    });
    expect(toPrincipal({ ...base, azp: 'z' }, policyFor(['https://as'])).clientId).toBe('z');
    expect(Object.isFrozen(principal)).toBe(true);
  });

  it.each<[string, Record<string, unknown>, string[], string[]]>([
    ['an object at a scope path grants no scopes', { scope: { admin: true, 'read:user': true } }, ['scope'], []],
    ['keys(path) reads an object\'s keys as scopes', { perms: { 'read:user': {}, 'write:post': {} } }, ['keys(perms)'], ['read:user', 'write:post']],
    ['keys(path) follows dot paths', { org: { perms: { 'read:user': 1 } } }, ['keys(org.perms)'], ['read:user']],
    ['keys(path) still reads strings and arrays', { scp: 'a b' }, ['keys(scp)'], ['a', 'b']],
    ['keys(__proto__) grants nothing', JSON.parse('{"__proto__":{"admin":1}}') as Record<string, unknown>, ['keys(__proto__)'], []],
  ])('%s', (_name, claims, scopeClaims, scopes) => {
    const principal = toPrincipal({ ...base, ...claims }, policyFor(['https://as'], { scopeClaims }));
    expect(sorted(principal.scopes)).toEqual(scopes);
    expect(principal.isAdmin).toBe(false);
  });

  it('builds with the default claim mapping when no policy is given', () => {
    const principal = toPrincipal({ ...base, scope: 'read:user', realm_access: { roles: ['admin'] } });
    expect(sorted(principal.scopes)).toEqual(['read:user']);
    expect(sorted(principal.roles)).toEqual(['admin']);
    expect(principal.isAdmin).toBe(true);
  });

  it('grants admin by scope too', () => {
    expect(toPrincipal({ ...base, scope: 'read admin' }, policyFor(['https://as'])).isAdmin).toBe(true);
    expect(toPrincipal({ ...base, scope: 'read administrator' }, policyFor(['https://as'])).isAdmin).toBe(false);
  });
});

describe('readClaimPath: hostile and odd shapes grant nothing, never throw', () => {
  const claims = JSON.parse(
    '{"__proto__":{"roles":["admin"]},"constructor":{"prototype":{"roles":["admin"]}},"a":{"b":{"c":["x"]}},"a.b":"literal","n":5,"o":null,"arr":[1,{"x":1},"ok"],"deep":{"__proto__":{"admin":true}}}',
  ) as Record<string, unknown>;
  it.each<[string, unknown]>([
    ['a.b', 'literal'],
    ['a.b.c', ['x']],
    ['__proto__', undefined],
    ['__proto__.roles', undefined],
    ['constructor.prototype.roles', undefined],
    ['constructor', undefined],
    ['deep.__proto__.admin', undefined],
    ['toString', undefined],
    ['hasOwnProperty', undefined],
    ['a..b', undefined],
    ['.a', undefined],
    ['missing.path', undefined],
    ['n.x', undefined],
    ['o.x', undefined],
    ['arr.0', undefined],
    [Array.from({ length: 40 }, () => 'a').join('.'), undefined],
  ])('%s', (path, expected) => {
    expect(readClaimPath(claims, path)).toEqual(expected);
  });

  it.each<[string, unknown]>([
    ['number', 5],
    ['boolean', true],
    ['null', null],
    ['array of non-strings', [1, null, { admin: true }, ['admin']]],
    ['empty strings', ['', '']],
    ['nested array', [['admin']]],
  ])('a %s scope value grants nothing', (_name, value) => {
    const principal = toPrincipal({ ...base, scope: value, roles: value }, policyFor(['https://as']));
    expect(principal.scopes.size).toBe(0);
    expect(principal.roles.size).toBe(0);
    expect(principal.isAdmin).toBe(false);
  });

  it('__proto__ and constructor as configured paths grant nothing', () => {
    const polluted = JSON.parse('{"__proto__":{"admin":1},"constructor":"admin"}') as Record<string, unknown>;
    const principal = toPrincipal({ ...base, ...polluted }, policyFor(['https://as'], { roleClaims: ['__proto__', 'constructor', 'prototype', '__proto__.admin'] }));
    expect(principal.roles.size).toBe(0);
    expect(({} as Record<string, unknown>).admin).toBeUndefined();
  });
});
