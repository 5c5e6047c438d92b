import type { TokenPolicy } from '../config/config.js';

/**
 * The verified caller, as every layer after verification sees it. Built once per token by
 * `toPrincipal` (token/principal.ts); immutable.
 * @see RFC 9068 §2.2 (claims of a JWT access token), RFC 7662 §2.2 (introspection response)
 */
export interface Principal {
  /** `sub`: the resource owner, or the client in a client-credentials grant. */
  readonly subject: string;
  /** Scopes read through the configured scope claim paths (whole strings). */
  readonly scopes: ReadonlySet<string>;
  /** Roles read through the configured role claim paths. */
  readonly roles: ReadonlySet<string>;
  /** True when the principal holds the configured admin role or admin scope. */
  readonly isAdmin: boolean;
  /** `client_id` (RFC 9068 §2.2), or `azp` when only that is present. */
  readonly clientId: string | undefined;
  /** `iss`, exactly as verified. */
  readonly issuer: string;
  /** `aud` as a list (RFC 7519 §4.1.3 allows a single string). */
  readonly audience: readonly string[];
  /** `exp`. */
  readonly expiresAt: Date;
  /** `iat`, when present. */
  readonly issuedAt: Date | undefined;
  /** `jti`, when present: the handle for revoking one token. */
  readonly tokenId: string | undefined;
  /** `acr`, when a string: how the user authenticated (RFC 9470 §4, OpenID Connect Core §2). */
  readonly acr?: string | undefined;
  /** `auth_time`, when a number: when the user last authenticated (RFC 9470 §4). */
  readonly authTime?: Date | undefined;
  /** An admin whom the configuration lets pass step-up too (`AUTH_ADMIN_STEP_UP`). @default false */
  readonly adminBypassesStepUp?: boolean;
  /** All claims, as verified. */
  readonly claims: Readonly<Record<string, unknown>>;
}

/** Path segments never followed: reading them would walk into prototypes, not claims. */
const FORBIDDEN_SEGMENTS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);
/** Bounds on what one claim may contribute: a token is attacker-shaped input. */
const MAX_PATH_SEGMENTS = 16;
const MAX_NAMES_PER_CLAIM = 1_000;

/** The policy fields {@link toPrincipal} reads. */
export type PrincipalPolicy = Pick<TokenPolicy, 'scopeClaims' | 'roleClaims' | 'adminRole' | 'adminScope' | 'audienceClaim'> & Partial<Pick<TokenPolicy, 'adminStepUp'>>;

/**
 * The claim mapping of `loadConfig`'s defaults, for principals built outside a server (tests,
 * plain `graphql()` execution): `AUTH_SCOPE_CLAIMS`, `AUTH_ROLE_CLAIMS`, `AUTH_ADMIN_*`.
 */
export const DEFAULT_PRINCIPAL_POLICY: PrincipalPolicy = Object.freeze({
  scopeClaims: Object.freeze(['scope', 'scp', 'permissions']),
  roleClaims: Object.freeze(['roles', 'realm_access.roles']),
  adminRole: 'admin',
  adminScope: 'admin',
  audienceClaim: 'aud',
});

/** `keys(path)`: the keys of the object at `path` are the names (ZITADEL's project roles). */
const KEYS_OF = /^keys\((.+)\)$/;

/**
 * Builds the {@link Principal} of verified claims, reading scopes and roles through the
 * configured claim paths. Never throws on odd claim shapes: they grant nothing.
 *
 * Callers guarantee `iss`, `sub` and `exp` were verified; this function only shapes them.
 *
 * @example
 * ```ts
 * const principal = toPrincipal(payload, policy);
 * principal.scopes.has('read:users');
 * ```
 * @see RFC 9068 §2.2 (claims), §2.2.3 (`scope`); RFC 8693 §4.2 (`scope` as space-separated string)
 */
export function toPrincipal(claims: Readonly<Record<string, unknown>>, policy: PrincipalPolicy = DEFAULT_PRINCIPAL_POLICY): Principal {
  const scopes = namesAt(claims, policy.scopeClaims, 'explicit');
  const roles = namesAt(claims, policy.roleClaims, 'always');
  const clientId = stringOrUndefined(ownValue(claims, 'client_id')) ?? stringOrUndefined(ownValue(claims, 'azp'));
  const aud = ownValue(claims, 'aud') ?? ownValue(claims, policy.audienceClaim);
  const iat = ownValue(claims, 'iat');
  const authTime = ownValue(claims, 'auth_time');
  const isAdmin = roles.has(policy.adminRole) || scopes.has(policy.adminScope);
  return Object.freeze({
    subject: String(ownValue(claims, 'sub') ?? ''),
    scopes,
    roles,
    isAdmin,
    clientId,
    issuer: String(ownValue(claims, 'iss') ?? ''),
    audience: Object.freeze(typeof aud === 'string' ? [aud] : Array.isArray(aud) ? aud.filter((a): a is string => typeof a === 'string') : []),
    expiresAt: new Date(Number(ownValue(claims, 'exp')) * 1000),
    issuedAt: typeof iat === 'number' ? new Date(iat * 1000) : undefined,
    tokenId: stringOrUndefined(ownValue(claims, 'jti')),
    acr: stringOrUndefined(ownValue(claims, 'acr')),
    authTime: typeof authTime === 'number' && Number.isFinite(authTime) ? new Date(authTime * 1000) : undefined,
    adminBypassesStepUp: isAdmin && policy.adminStepUp === true,
    claims: Object.freeze({ ...claims }),
  });
}

/**
 * Reads a claim path: first as a literal top-level claim name (Auth0's namespaced claims are
 * URLs full of dots), then as a dot path (`realm_access.roles`). Own properties only.
 * @returns the value, or `undefined` when the path does not lead anywhere
 */
export function readClaimPath(claims: Readonly<Record<string, unknown>>, path: string): unknown {
  if (FORBIDDEN_SEGMENTS.has(path)) return undefined;
  const literal = ownValue(claims, path);
  if (literal !== undefined || !path.includes('.')) return literal;
  const segments = path.split('.');
  if (segments.length > MAX_PATH_SEGMENTS || segments.some((s) => s === '' || FORBIDDEN_SEGMENTS.has(s))) return undefined;
  let value: unknown = claims;
  for (const segment of segments) {
    value = ownValue(value, segment);
    if (value === undefined) return undefined;
  }
  return value;
}

/**
 * Union of the names found at each path: a string split on spaces, a string array, or — for
 * roles, or a path written `keys(path)` — an object's keys. A scope path that holds an object
 * grants nothing unless the mapping says `keys(…)`: scopes are what a client was granted, and an
 * object's keys are rarely that.
 */
function namesAt(claims: Readonly<Record<string, unknown>>, paths: readonly string[], objectKeys: 'always' | 'explicit'): ReadonlySet<string> {
  const names = new Set<string>();
  for (const path of paths) {
    const keysOf = KEYS_OF.exec(path);
    const value = readClaimPath(claims, keysOf ? keysOf[1]! : path);
    if (isPlainObject(value) && !keysOf && objectKeys === 'explicit') continue;
    for (const name of namesOf(value)) names.add(name);
  }
  return names;
}

function namesOf(value: unknown): string[] {
  // RFC 6749 §3.3 / RFC 9068 §2.2.3: scope is a space-delimited string (Entra `scp` too).
  if (typeof value === 'string') return value.split(' ').filter((s) => s.length > 0).slice(0, MAX_NAMES_PER_CLAIM);
  // Okta `scp`, Auth0 `permissions`, Keycloak roles: arrays of strings; non-strings grant nothing.
  if (Array.isArray(value)) return value.slice(0, MAX_NAMES_PER_CLAIM).filter((v): v is string => typeof v === 'string' && v.length > 0);
  // ZITADEL `urn:zitadel:iam:org:project:roles`: { roleName: { orgId: domain } }.
  if (isPlainObject(value)) return Object.keys(value).slice(0, MAX_NAMES_PER_CLAIM).filter((k) => k.length > 0);
  return [];
}

function ownValue(value: unknown, key: string): unknown {
  if (!isPlainObject(value) || FORBIDDEN_SEGMENTS.has(key)) return undefined;
  return Object.prototype.hasOwnProperty.call(value, key) ? value[key] : undefined;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function stringOrUndefined(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}
