import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load-config.js';
import { problemsOf } from './problems-of.js';

const PRODUCTION = { AUTH_ISSUER: 'https://issuer.example', AUTH_AUDIENCE: 'https://api.example' };


describe('loadConfig', () => {
  it('defaults to dev mode on loopback with the documented defaults', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ mode: 'dev', host: '127.0.0.1', port: 4000, landingPage: true });
    expect(config.token).toMatchObject({
      algorithms: ['RS256', 'PS256', 'ES256', 'EdDSA'],
      clockToleranceSeconds: 30,
      maxTokenLifetimeSeconds: 86_400,
      scopeClaims: ['scope', 'scp', 'permissions'],
      roleClaims: ['roles', 'realm_access.roles'],
      adminRole: 'admin',
      adminScope: 'admin',
      audienceClaim: 'aud',
      remote: { timeoutMs: 5_000, cooldownMs: 30_000, cacheMaxAgeMs: 600_000 },
    });
    expect(Object.isFrozen(config.token.algorithms)).toBe(true);
  });

  it('reads comma lists of issuers and audiences in production mode', () => {
    const config = loadConfig({ AUTH_ISSUER: 'https://a.example, https://b.example', AUTH_AUDIENCE: 'api-1,api-2', NODE_ENV: 'production' });
    expect(config).toMatchObject({ mode: 'production', production: true, landingPage: false });
    expect(config.token.issuers).toEqual(['https://a.example', 'https://b.example']);
    expect(config.token.audiences).toEqual(['api-1', 'api-2']);
  });

  it.each<[string, Record<string, string>, string[]]>([
    ['issuer without audience', { AUTH_ISSUER: 'https://issuer.example' }, ['AUTH_AUDIENCE']],
    ['http issuer off loopback', { ...PRODUCTION, AUTH_ISSUER: 'http://issuer.example' }, ['AUTH_ISSUER']],
    ['issuer with a query', { ...PRODUCTION, AUTH_ISSUER: 'https://issuer.example/?a=b' }, ['AUTH_ISSUER']],
    ['not a URL', { ...PRODUCTION, AUTH_JWKS_URI: 'keys.json' }, ['AUTH_JWKS_URI']],
    ['one key set for several issuers', { ...PRODUCTION, AUTH_ISSUER: 'https://a.example,https://b.example', AUTH_JWKS_URI: 'https://a.example/jwks' }, ['AUTH_JWKS_URI']],
    ['HMAC algorithm', { ...PRODUCTION, AUTH_ALGORITHMS: 'RS256,HS256' }, ['AUTH_ALGORITHMS']],
    ['none algorithm', { ...PRODUCTION, AUTH_ALGORITHMS: 'none' }, ['AUTH_ALGORITHMS']],
    ['malformed number', { ...PRODUCTION, AUTH_CLOCK_TOLERANCE: '30s' }, ['AUTH_CLOCK_TOLERANCE']],
    ['negative port', { PORT: '-1' }, ['PORT']],
    ['port out of range', { PORT: '70000' }, ['PORT']],
    ['bad boolean', { AUTH_REQUIRE_AT_JWT: 'yes' }, ['AUTH_REQUIRE_AT_JWT']],
    ['unknown enforcement', { AUTH_ENFORCEMENT: 'strict' }, ['AUTH_ENFORCEMENT']],
    ['introspection without credentials', { ...PRODUCTION, AUTH_INTROSPECTION_URI: 'https://issuer.example/introspect' }, ['AUTH_INTROSPECTION_CLIENT_ID']],
    ['redis URL of another scheme', { REDIS_URL: 'http://127.0.0.1:6379' }, ['REDIS_URL']],
    ['dev mode in production', { NODE_ENV: 'production' }, ['AUTH_ISSUER']],
    ['dev mode off loopback', { HOST: '0.0.0.0' }, ['HOST']],
    ['everything at once', { AUTH_ISSUER: 'http://issuer.example', PORT: 'x', AUTH_ALGORITHMS: 'HS256' }, ['AUTH_AUDIENCE', 'AUTH_ISSUER', 'AUTH_ALGORITHMS', 'PORT']],
  ])('refuses %s, naming the variable', (_name, env, variables) => {
    expect(problemsOf(env).sort()).toEqual([...variables].sort());
  });

  it.each(['http://127.0.0.1:8080', 'http://localhost:8080', 'http://[::1]:8080'])('accepts the loopback http issuer %s', (issuer) => {
    expect(loadConfig({ AUTH_ISSUER: issuer, AUTH_AUDIENCE: 'api' }).token.issuers).toEqual([issuer]);
  });

  it('says how to fix each problem', () => {
    expect(() => loadConfig({ AUTH_ISSUER: 'https://issuer.example' })).toThrow(/AUTH_AUDIENCE: required when AUTH_ISSUER is set\. Fix: set AUTH_AUDIENCE/);
  });
});
