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
  /** All claims, as verified. */
  readonly claims: Readonly<Record<string, unknown>>;
}
