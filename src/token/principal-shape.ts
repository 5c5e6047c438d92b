/**
 * A principal given as plain data — by tests, by hand-built contexts, by other transports —
 * shaped into the {@link Principal} the guards read, or refused with a clear error.
 * @see RFC 9068 §2.2 (the claims a principal stands for)
 */
import { DEFAULT_PRINCIPAL_POLICY, type Principal } from './principal.js';

/**
 * A principal as plain data, for callers that build one by hand (tests, other transports):
 * names as arrays (or a space-separated string), the rest optional.
 */
export interface PrincipalInit {
  readonly subject?: string;
  readonly scopes?: Iterable<string> | string;
  readonly roles?: Iterable<string> | string;
  /** @default holds the default admin role or admin scope (`admin`) */
  readonly isAdmin?: boolean;
  readonly clientId?: string;
  readonly issuer?: string;
  readonly audience?: readonly string[];
  readonly expiresAt?: Date;
  readonly issuedAt?: Date;
  readonly tokenId?: string;
  readonly claims?: Readonly<Record<string, unknown>>;
}

/**
 * A {@link Principal} from a principal or plain data; a principal (its scopes and roles are
 * sets) is returned as it is.
 * @throws {TypeError} scopes or roles that are not names, naming the member and the fix
 */
export function toPrincipalShape(value: Principal | PrincipalInit): Principal {
  if (value.scopes instanceof Set && value.roles instanceof Set && typeof value.isAdmin === 'boolean') return value as Principal;
  const init = value as PrincipalInit;
  const scopes = namesFromInit(init.scopes, 'scopes');
  const roles = namesFromInit(init.roles, 'roles');
  return Object.freeze({
    subject: init.subject ?? '',
    scopes,
    roles,
    isAdmin: init.isAdmin ?? (roles.has(DEFAULT_PRINCIPAL_POLICY.adminRole) || scopes.has(DEFAULT_PRINCIPAL_POLICY.adminScope)),
    clientId: init.clientId,
    issuer: init.issuer ?? '',
    audience: Object.freeze([...(init.audience ?? [])]),
    expiresAt: init.expiresAt ?? new Date(8.64e15),
    issuedAt: init.issuedAt,
    tokenId: init.tokenId,
    claims: Object.freeze({ ...init.claims }),
  });
}

function namesFromInit(value: Iterable<string> | string | undefined, member: 'scopes' | 'roles'): ReadonlySet<string> {
  if (value === undefined) return new Set();
  const names = typeof value === 'string' ? value.split(' ').filter((s) => s.length > 0) : typeof value === 'object' && value !== null && Symbol.iterator in value ? [...value] : undefined;
  if (names === undefined || names.some((name) => typeof name !== 'string')) {
    throw new TypeError(`principal.${member} must be an array of strings (or a Set, or a space-separated string); build a principal from verified claims with toPrincipal(claims)`);
  }
  return new Set(names);
}
