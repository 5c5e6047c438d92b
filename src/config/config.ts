/**
 * The shape of gatepass's configuration: the typed options a library user passes, and what
 * `loadConfig(env)` builds from the environment for the reference server.
 */
import type { DpopOptions } from './dpop-config.js';
import type { ClientCertificateOptions } from './client-certificate-config.js';

import type { WebSocketLimits } from './websocket-config.js';

/** JWS algorithms gatepass accepts: asymmetric only (RFC 8725 §3.1, §3.2). */
export const ASYMMETRIC_ALGORITHMS = [
  'RS256', 'RS384', 'RS512',
  'PS256', 'PS384', 'PS512',
  'ES256', 'ES384', 'ES512',
  'EdDSA', 'Ed25519',
] as const;

/** One accepted JWS algorithm. */
export type JwsAlgorithm = (typeof ASYMMETRIC_ALGORITHMS)[number];

/** How `@auth` denials are enforced (issue: three enforcement modes). */
export type EnforcementMode = 'field' | 'operation' | 'dry-run';

/** Whether fields without any requirement are open or need a principal. */
export type DefaultPolicy = 'allow' | 'deny';

/** Network behaviour towards the issuer's endpoints (jose's defaults). */
export interface RemoteKeySetOptions {
  /** @default 5000 */
  readonly timeoutMs: number;
  /** An unknown `kid` refetches the key set at most once per cooldown. @default 30000 */
  readonly cooldownMs: number;
  /** A fetched key set is trusted this long. @default 600000 */
  readonly cacheMaxAgeMs: number;
}

/** RFC 7662 introspection of opaque tokens. */
export interface IntrospectionOptions {
  readonly uri: URL;
  readonly clientId: string;
  readonly clientSecret: string;
  /** Longest time an active result is cached (never beyond the token's `exp`). @default 60 */
  readonly cacheMaxSeconds: number;
}

/** Everything needed to turn a token into a `Principal`. */
export interface TokenPolicy {
  /** Accepted `iss` values (exact match). Empty only before the dev issuer fills it in. */
  readonly issuers: readonly string[];
  /** Accepted audiences, any-of (RFC 7519 §4.1.3). */
  readonly audiences: readonly string[];
  /** Claim matched against `audiences`. @default 'aud' */
  readonly audienceClaim: string;
  /** Explicit key set URI; otherwise discovered from each issuer's metadata. */
  readonly jwksUri: URL | undefined;
  /** @default ['RS256','PS256','ES256','EdDSA'] */
  readonly algorithms: readonly JwsAlgorithm[];
  /** Seconds of skew allowed for `exp`, `nbf` and `iat`. @default 30 */
  readonly clockToleranceSeconds: number;
  /** Largest accepted `exp - iat`, seconds. @default 86400 */
  readonly maxTokenLifetimeSeconds: number;
  /** Accept only header `typ: at+jwt` (RFC 9068 §2.1 strict). @default false */
  readonly requireAtJwt: boolean;
  /** @default ['scope','scp','permissions'] */
  readonly scopeClaims: readonly string[];
  /** @default ['roles','realm_access.roles'] */
  readonly roleClaims: readonly string[];
  /** @default 'admin' */
  readonly adminRole: string;
  /** @default 'admin' */
  readonly adminScope: string;
  /** Let the admin override waive step-up (`acr`, `maxAge`) too (RFC 9470). @default false */
  readonly adminStepUp?: boolean | undefined;
  readonly remote: RemoteKeySetOptions;
  readonly introspection: IntrospectionOptions | undefined;
  /** DPoP (RFC 9449): `AUTH_DPOP*`, `AUTH_PUBLIC_URL`. @default mode 'off' */
  readonly dpop?: DpopOptions | undefined;
}

/** Options of `@auth` enforcement. */
export interface EnforcementOptions {
  /** @default 'field' */
  readonly mode: EnforcementMode;
  /** @default 'allow' */
  readonly defaultPolicy: DefaultPolicy;
  /** Put the field's requirement in FORBIDDEN errors' extensions. @default true */
  readonly explainDenials: boolean;
}

/** The whole configuration of the reference server. */
export interface GatepassConfig {
  /** `dev` when `AUTH_ISSUER` is unset: the embedded dev issuer signs and verifies. */
  readonly mode: 'dev' | 'production';
  readonly production: boolean;
  readonly host: string;
  readonly port: number;
  readonly logLevel: string;
  readonly token: TokenPolicy;
  readonly enforcement: EnforcementOptions;
  /** Shared revocation list and caches for a fleet. */
  readonly redisUrl: URL | undefined;
  /**
   * Once Redis is lost, how long each instance may still answer revocation checks from its local
   * copy (logged loudly), seconds; 0 = fail closed at once (503 + `Retry-After`). @default 0
   */
  readonly redisStaleSeconds: number;
  readonly tls: { readonly certFile: string; readonly keyFile: string } | undefined;
  /** Certificate-bound tokens (RFC 8705): `TLS_CLIENT_CA`, `TLS_CLIENT_CERT_HEADER`, `_PROXIES`. */
  readonly clientCertificates?: ClientCertificateOptions | undefined;
  /** Serve the Apollo Sandbox landing page. @default true in dev, false in production */
  readonly landingPage: boolean;
  /** Exact origins whose pages may call the API from a browser (`CORS_ORIGINS`), or `['*']`. @default [] */
  readonly corsOrigins: readonly string[];
  /** Folder for the dev issuer's keys. @default '.gatepass' */
  readonly devKeyDir: string;
  /** Bounds of the subscription transport (`WS_*`). */
  readonly websocket: WebSocketLimits;
}
