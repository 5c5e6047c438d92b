/** Shared fixtures of the token tests: a policy for a test issuer, hand-made hostile tokens. */
import type { TokenPolicy } from '../../src/config/config.js';
import { TEST_AUDIENCE, TEST_INTROSPECTION_CLIENT, type TestIssuer } from '../helpers/test-issuer.js';

/** A TokenPolicy for `issuers`, with the documented defaults and short network times. */
export function policyFor(issuers: readonly (TestIssuer | string)[], overrides: Partial<TokenPolicy> = {}): TokenPolicy {
  return {
    issuers: issuers.map((i) => (typeof i === 'string' ? i : i.issuer)),
    audiences: [TEST_AUDIENCE],
    audienceClaim: 'aud',
    jwksUri: undefined,
    algorithms: ['RS256', 'PS256', 'ES256', 'EdDSA'],
    clockToleranceSeconds: 30,
    maxTokenLifetimeSeconds: 86_400,
    requireAtJwt: false,
    scopeClaims: ['scope', 'scp', 'permissions'],
    roleClaims: ['roles', 'realm_access.roles'],
    adminRole: 'admin',
    adminScope: 'admin',
    remote: { timeoutMs: 2_000, cooldownMs: 30_000, cacheMaxAgeMs: 600_000 },
    introspection: undefined,
    ...overrides,
  };
}

/** Introspection options pointing at a test issuer's endpoint. */
export function introspectionFor(issuer: TestIssuer, cacheMaxSeconds = 60): TokenPolicy['introspection'] {
  return { uri: new URL(issuer.introspectionUri!), ...TEST_INTROSPECTION_CLIENT, cacheMaxSeconds };
}

const b64url = (value: unknown): string => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');

/** A JWS assembled by hand: any header, any payload, any signature bytes. */
export function handmadeJws(header: unknown, payload: unknown, signature = ''): string {
  return `${b64url(header)}.${b64url(payload)}.${signature}`;
}

/** Standard claims for `issuer`, valid now. */
export function claimsFor(issuer: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const now = Math.floor(Date.now() / 1000);
  return { iss: issuer, sub: 'u1', aud: TEST_AUDIENCE, iat: now, exp: now + 300, jti: 'j1', client_id: 'c', ...extra };
}

/** The error a promise rejects with; fails the test when it resolves. */
export async function refusal(promise: Promise<unknown>): Promise<{ code: string; reason?: string; message: string; cause?: unknown }> {
  try {
    await promise;
  } catch (error) {
    return error as { code: string; reason?: string; message: string; cause?: unknown };
  }
  throw new Error('expected a refusal');
}
