import {
  ASYMMETRIC_ALGORITHMS,
  type DefaultPolicy,
  type EnforcementMode,
  type GatepassConfig,
  type JwsAlgorithm,
} from './config.js';
import { ConfigError, type ConfigProblem } from './config-error.js';
import { readCorsOrigins } from './cors-origins.js';
import { EnvReader, type Env } from './env-reader.js';
import { isLoopbackHost } from './loopback.js';
import { readDpopOptions } from './dpop-config.js';
import { readClientCertificateOptions } from './client-certificate-config.js';
import { readWebSocketLimits } from './websocket-config.js';

const DEFAULT_ALGORITHMS: readonly JwsAlgorithm[] = ['RS256', 'PS256', 'ES256', 'EdDSA'];
const ENFORCEMENT_MODES: readonly EnforcementMode[] = ['field', 'operation', 'dry-run'];
const DEFAULT_POLICIES: readonly DefaultPolicy[] = ['allow', 'deny'];

/**
 * Reads, validates and freezes the configuration from environment variables: the only reader of
 * `process.env` in gatepass. Collects every problem before failing.
 *
 * @example
 * ```ts
 * const config = loadConfig(process.env); // throws ConfigError listing every problem
 * ```
 * @throws {ConfigError} naming each variable and its fix
 */
export function loadConfig(env: Env): GatepassConfig {
  const problems: ConfigProblem[] = [];
  const reader = new EnvReader(env, problems);

  const production = env.NODE_ENV === 'production';
  const issuers = reader.list('AUTH_ISSUER');
  const mode = issuers.length === 0 ? 'dev' : 'production';
  const audiences = reader.list('AUTH_AUDIENCE');
  const host = env.HOST?.trim() || '127.0.0.1';

  if (mode === 'dev' && production) {
    problems.push({
      variable: 'AUTH_ISSUER',
      problem: 'unset while NODE_ENV=production, and dev mode never runs in production',
      fix: 'set AUTH_ISSUER to your authorization server (and AUTH_AUDIENCE to this API), or unset NODE_ENV',
    });
  }
  if (mode === 'dev' && !isLoopbackHost(host)) {
    problems.push({
      variable: 'HOST',
      problem: `dev mode binds to loopback only, not "${host}"`,
      fix: 'unset HOST (127.0.0.1), or set AUTH_ISSUER and AUTH_AUDIENCE to run in production mode',
    });
  }
  if (mode === 'production' && audiences.length === 0) {
    problems.push({
      variable: 'AUTH_AUDIENCE',
      problem: 'required when AUTH_ISSUER is set',
      fix: "set AUTH_AUDIENCE to this API's identifier (the token's aud), e.g. https://api.example.com",
    });
  }
  for (const issuer of issuers) reader.checkIssuerUrl('AUTH_ISSUER', issuer, production);
  const jwksUri = reader.url('AUTH_JWKS_URI', production);
  if (jwksUri && issuers.length > 1) {
    // RFC 8725 §3.8: one key set for several issuers lets issuer A's keys sign for issuer B.
    problems.push({
      variable: 'AUTH_JWKS_URI',
      problem: 'set while AUTH_ISSUER names several issuers, whose tokens must each be checked with their own keys',
      fix: 'unset AUTH_JWKS_URI so each issuer discovers its own key set, or configure a single issuer',
    });
  }

  const algorithms = reader.algorithms('AUTH_ALGORITHMS', ASYMMETRIC_ALGORITHMS, DEFAULT_ALGORITHMS, 'HMAC and "none" are never accepted');

  const introspectionUri = reader.url('AUTH_INTROSPECTION_URI', production);
  const introspectionClientId = env.AUTH_INTROSPECTION_CLIENT_ID?.trim() ?? '';
  const introspectionClientSecret = env.AUTH_INTROSPECTION_CLIENT_SECRET ?? '';
  if (introspectionUri && (!introspectionClientId || !introspectionClientSecret)) {
    problems.push({
      variable: 'AUTH_INTROSPECTION_CLIENT_ID',
      problem: 'AUTH_INTROSPECTION_URI is set but the client credentials are not (RFC 7662 §2.1 requires client authentication)',
      fix: 'set AUTH_INTROSPECTION_CLIENT_ID and AUTH_INTROSPECTION_CLIENT_SECRET',
    });
  }

  const tlsCert = env.TLS_CERT?.trim();
  const tlsKey = env.TLS_KEY?.trim();
  if (Boolean(tlsCert) !== Boolean(tlsKey)) {
    problems.push({ variable: tlsCert ? 'TLS_KEY' : 'TLS_CERT', problem: 'TLS needs both a certificate and a key', fix: 'set both TLS_CERT and TLS_KEY, or neither' });
  }

  const redisUrl = reader.redisUrl('REDIS_URL');
  if (env.REDIS_STALE_SECONDS?.trim() && !env.REDIS_URL?.trim()) {
    problems.push({
      variable: 'REDIS_STALE_SECONDS',
      problem: 'is set but REDIS_URL is not, and it only applies to a fleet sharing Redis',
      fix: 'set REDIS_URL too, or unset REDIS_STALE_SECONDS',
    });
  }

  const dpop = readDpopOptions(env, reader, problems, { issuers, host });
  const clientCertificates = readClientCertificateOptions(env, reader, problems, Boolean(tlsCert && tlsKey));

  const config: GatepassConfig = {
    mode,
    production,
    host,
    port: reader.integer('PORT', 4000, 0, 65535),
    logLevel: reader.oneOf('LOG_LEVEL', ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], 'info'),
    token: {
      issuers,
      audiences,
      audienceClaim: env.AUTH_AUDIENCE_CLAIM?.trim() || 'aud',
      jwksUri,
      algorithms,
      clockToleranceSeconds: reader.integer('AUTH_CLOCK_TOLERANCE', 30, 0, 300),
      maxTokenLifetimeSeconds: reader.integer('AUTH_MAX_TOKEN_LIFETIME', 86_400, 1, 31_536_000),
      requireAtJwt: reader.boolean('AUTH_REQUIRE_AT_JWT', false),
      scopeClaims: reader.listOr('AUTH_SCOPE_CLAIMS', ['scope', 'scp', 'permissions']),
      roleClaims: reader.listOr('AUTH_ROLE_CLAIMS', ['roles', 'realm_access.roles']),
      adminRole: env.AUTH_ADMIN_ROLE?.trim() || 'admin',
      adminScope: env.AUTH_ADMIN_SCOPE?.trim() || 'admin',
      adminStepUp: reader.boolean('AUTH_ADMIN_STEP_UP', false),
      remote: {
        timeoutMs: reader.integer('AUTH_HTTP_TIMEOUT_MS', 5_000, 100, 60_000),
        cooldownMs: reader.integer('AUTH_JWKS_COOLDOWN_MS', 30_000, 0, 3_600_000),
        cacheMaxAgeMs: reader.integer('AUTH_JWKS_CACHE_MAX_AGE_MS', 600_000, 1_000, 86_400_000),
      },
      introspection: introspectionUri
        ? {
            uri: introspectionUri,
            clientId: introspectionClientId,
            clientSecret: introspectionClientSecret,
            cacheMaxSeconds: reader.integer('AUTH_INTROSPECTION_CACHE_MAX_SECONDS', 60, 0, 3_600),
          }
        : undefined,
      dpop,
    },
    enforcement: {
      mode: reader.oneOf('AUTH_ENFORCEMENT', ENFORCEMENT_MODES, 'field'),
      defaultPolicy: reader.oneOf('AUTH_DEFAULT', DEFAULT_POLICIES, 'allow'),
      explainDenials: reader.boolean('AUTH_EXPLAIN_DENIALS', true),
    },
    redisUrl,
    // Bounded: a copy that cannot hear of revocations must not answer alone for long.
    redisStaleSeconds: reader.integer('REDIS_STALE_SECONDS', 0, 0, 300),
    tls: tlsCert && tlsKey ? { certFile: tlsCert, keyFile: tlsKey } : undefined,
    clientCertificates,
    landingPage: reader.boolean('LANDING_PAGE', mode === 'dev'),
    corsOrigins: readCorsOrigins(env, production, problems),
    devKeyDir: env.GATEPASS_DEV_KEY_DIR?.trim() || '.gatepass',
    websocket: readWebSocketLimits(reader),
  };

  if (problems.length > 0) throw new ConfigError(problems);
  return deepFreeze(config);
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !(value instanceof URL) && !Object.isFrozen(value)) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}
