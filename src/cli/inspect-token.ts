import { compactVerify, decodeJwt, decodeProtectedHeader, type JWTHeaderParameters, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import type { TokenPolicy } from '../config/config.js';
import { AuthError, InvalidTokenError, } from '../errors.js';
import { fromJoseError } from '../token/jose-errors.js';
import {
  allowedAlgorithms,
  checkAccessTokenKind,
  checkAlgorithm,
  audienceMatches,
  checkClaimTypes,
  checkHeaderType,
  checkIssuedAt,
  checkLifetime,
  checkNoExtensions,
} from '../token/access-token-checks.js';
import { explainBinding } from './explain-binding.js';
import { toPrincipal, type Principal } from '../token/principal.js';
import type { TokenVerifier } from '../token/verify.js';
import type { Presentation } from '../token/token-binding.js';

/** One line of the debugging checklist. */
export interface InspectionCheck {
  readonly name: string;
  /** `undefined`: not applicable or not checked here (the detail says why). */
  readonly ok: boolean | undefined;
  readonly detail: string;
}

/** What `npm run token -- inspect` found. */
export interface InspectionReport {
  readonly header: JWTHeaderParameters | undefined;
  readonly claims: JWTPayload | undefined;
  readonly checks: readonly InspectionCheck[];
  /** The claims read as the API reads them (even when refused, to show what it would see). */
  readonly principal: Principal | undefined;
  /** The verifier's own verdict: the one that decides the exit code. */
  readonly accepted: boolean;
  readonly verdict: string;
}

/**
 * Runs the access-token checklist on one token — valid? signature verified? not expired? scopes
 * appropriate? audience matches? — one line per check, then the verifier's verdict. The token
 * goes nowhere but the configured issuer's endpoints (through the verifier).
 * @see RFC 9068 §4 (validation steps), RFC 8725 §3
 */
export async function inspectToken(
  token: string,
  options: {
    readonly policy: TokenPolicy;
    readonly verifier: Pick<TokenVerifier, 'verify'>;
    /** The key set of a configured issuer; `undefined` for any other `iss`. */
    readonly keysOf: (issuer: string) => JWTVerifyGetKey | undefined;
    /** The verifier checks the fleet's shared revocation list (REDIS_URL). @default false */
    readonly revocationShared?: boolean;
    /** What the request proves of a bound token (a verified `--dpop-proof`). @default plain bearer */
    readonly presentation?: Presentation;
    readonly nowMs?: number;
  },
): Promise<InspectionReport> {
  const nowSeconds = Math.floor((options.nowMs ?? Date.now()) / 1000);
  const { policy } = options;
  const verdict = await options.verifier.verify(token, options.presentation).then(
    () => ({ accepted: true, error: undefined }),
    (error: unknown) => ({ accepted: false, error: error instanceof AuthError ? error : undefined, unexpected: error }),
  );
  const reason = verdict.error instanceof InvalidTokenError ? verdict.error.reason : undefined;
  const decoded = decode(token);
  const checks: InspectionCheck[] = [];
  const run = (name: string, detail: string, check: () => void) => {
    try {
      check();
      checks.push({ name, ok: true, detail });
    } catch (error) {
      checks.push({ name, ok: false, detail: error instanceof Error ? error.message : String(error) });
    }
  };

  if (!decoded) {
    checks.push({ name: 'format', ok: policy.introspection ? undefined : false, detail: policy.introspection ? 'not a JWS: checked by introspection' : 'not a compact JWS, and no introspection is configured' });
  } else {
    const { header, claims } = decoded;
    checks.push({ name: 'format', ok: true, detail: 'compact JWS (three parts)' });
    run('algorithm', `${String(header.alg)} is allowed`, () => checkAlgorithm(header, policy));
    run('header', 'no crit, no b64', () => checkNoExtensions(header));
    run('token type', `header typ ${header.typ === undefined ? 'absent' : JSON.stringify(header.typ)}; payload is an access token`, () => {
      checkHeaderType(header, policy);
      checkAccessTokenKind(claims);
    });
    checks.push(explainBinding(claims));
    checks.push(await signatureCheck(token, header, claims, options));
    checks.push(timeCheck('expiry', claims.exp, nowSeconds, policy.clockToleranceSeconds, 'exp'));
    checks.push(claims.nbf === undefined ? { name: 'not before', ok: true, detail: 'no nbf' } : timeCheck('not before', claims.nbf, nowSeconds, policy.clockToleranceSeconds, 'nbf'));
    checks.push({ name: 'issuer', ok: typeof claims.iss === 'string' && policy.issuers.includes(claims.iss), detail: `iss ${JSON.stringify(claims.iss ?? null)}` });
    checks.push({ name: 'audience', ok: audienceMatches(claims, policy), detail: `${policy.audienceClaim} ${JSON.stringify(claims[policy.audienceClaim] ?? null)}` });
    run('lifetime', lifetimeDetail(claims, policy), () => {
      checkIssuedAt(claims, policy, nowSeconds);
      checkLifetime(claims, policy);
    });
    run('claim types', 'sub, client_id, jti, scope well-formed', () => checkClaimTypes(claims));
  }
  checks.push(
    reason === 'revoked'
      ? { name: 'revocation', ok: false, detail: 'token was revoked' }
      : options.revocationShared
        ? { name: 'revocation', ok: verdict.accepted ? true : undefined, detail: verdict.accepted ? 'not revoked (shared revocation list)' : 'not reached' }
        : { name: 'revocation', ok: undefined, detail: 'not checked: the revocation list lives in each server process (shared with REDIS_URL)' },
  );

  return {
    header: decoded?.header,
    claims: decoded?.claims,
    checks,
    principal: decoded ? safePrincipal(decoded.claims, policy) : undefined,
    accepted: verdict.accepted,
    verdict: verdict.accepted ? 'accepted' : (verdict.error?.message ?? `could not check: ${String((verdict as { unexpected?: unknown }).unexpected)}`),
  };
}

/** Verifies the signature on its own, with the key set of the token's issuer if we trust that issuer. */
async function signatureCheck(
  token: string,
  header: JWTHeaderParameters,
  claims: JWTPayload,
  options: { readonly policy: TokenPolicy; readonly keysOf: (issuer: string) => JWTVerifyGetKey | undefined },
): Promise<InspectionCheck> {
  const keys = typeof claims.iss === 'string' && options.policy.issuers.includes(claims.iss) ? options.keysOf(claims.iss) : undefined;
  if (!keys) return { name: 'signature', ok: false, detail: 'not checked: the token names an issuer that is not configured' };
  try {
    await compactVerify(token, keys, { algorithms: allowedAlgorithms(options.policy) });
    return { name: 'signature', ok: true, detail: `verified with key ${JSON.stringify(header.kid ?? null)} of ${String(claims.iss)}` };
  } catch (error) {
    const failure = fromJoseError(error);
    return { name: 'signature', ok: failure instanceof InvalidTokenError ? false : undefined, detail: failure.message };
  }
}

function decode(token: string): { header: JWTHeaderParameters; claims: JWTPayload } | undefined {
  if (token.split('.').length !== 3) return undefined;
  try {
    return { header: decodeProtectedHeader(token) as JWTHeaderParameters, claims: decodeJwt(token) };
  } catch {
    return undefined;
  }
}

function timeCheck(name: string, value: unknown, nowSeconds: number, toleranceSeconds: number, claim: 'exp' | 'nbf'): InspectionCheck {
  if (typeof value !== 'number') return { name, ok: claim === 'nbf', detail: `${claim} missing or not a number` };
  const date = new Date(value * 1000);
  if (Number.isNaN(date.getTime())) return { name, ok: false, detail: `${claim} ${value} is not a time` };
  const at = date.toISOString();
  const delta = value - nowSeconds;
  if (claim === 'exp') {
    return { name, ok: delta + toleranceSeconds > 0, detail: delta >= 0 ? `expires in ${duration(delta)} (${at})` : `expired ${duration(-delta)} ago (${at})` };
  }
  return { name, ok: delta - toleranceSeconds <= 0, detail: delta > 0 ? `valid in ${duration(delta)} (${at})` : `valid since ${at}` };
}

function lifetimeDetail(claims: JWTPayload, policy: Pick<TokenPolicy, 'maxTokenLifetimeSeconds'>): string {
  if (typeof claims.iat !== 'number' || typeof claims.exp !== 'number') return 'iat and exp are required';
  return `exp - iat = ${duration(claims.exp - claims.iat)} (max ${duration(policy.maxTokenLifetimeSeconds)})`;
}

function duration(seconds: number): string {
  const s = Math.round(seconds);
  if (s < 120) return `${s}s`;
  if (s < 7200) return `${Math.floor(s / 60)}m ${s % 60}s`;
  return `${Math.floor(s / 3600)}h ${Math.floor((s % 3600) / 60)}m`;
}

function safePrincipal(claims: JWTPayload, policy: TokenPolicy): Principal | undefined {
  try {
    return toPrincipal(claims as Record<string, unknown>, policy);
  } catch {
    return undefined;
  }
}
