import {
  ASYMMETRIC_ALGORITHMS,
  type DefaultPolicy,
  type EnforcementMode,
  type GatepassConfig,
  type JwsAlgorithm,
} from './config.js';
import { isLoopbackHost } from './loopback.js';

/** One configuration problem: the variable, what is wrong, how to fix it. */
export interface ConfigProblem {
  readonly variable: string;
  readonly problem: string;
  readonly fix: string;
}

/**
 * Invalid configuration: reported at startup with every problem at once, never as an auth error.
 */
export class ConfigError extends Error {
  readonly code = 'ERR_CONFIG';
  readonly problems: readonly ConfigProblem[];

  constructor(problems: readonly ConfigProblem[]) {
    super(
      `invalid configuration (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n` +
        problems.map((p) => `  - ${p.variable}: ${p.problem}. Fix: ${p.fix}`).join('\n'),
    );
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

type Env = Readonly<Record<string, string | undefined>>;

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

  const algorithms = reader.list('AUTH_ALGORITHMS');
  for (const alg of algorithms) {
    if (!(ASYMMETRIC_ALGORITHMS as readonly string[]).includes(alg)) {
      problems.push({
        variable: 'AUTH_ALGORITHMS',
        problem: `"${alg}" is not an accepted asymmetric JWS algorithm`,
        fix: `use a comma list of ${ASYMMETRIC_ALGORITHMS.join(', ')} (HMAC and "none" are never accepted)`,
      });
    }
  }

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
      algorithms: (algorithms.length > 0 ? algorithms : DEFAULT_ALGORITHMS) as JwsAlgorithm[],
      clockToleranceSeconds: reader.integer('AUTH_CLOCK_TOLERANCE', 30, 0, 300),
      maxTokenLifetimeSeconds: reader.integer('AUTH_MAX_TOKEN_LIFETIME', 86_400, 1, 31_536_000),
      requireAtJwt: reader.boolean('AUTH_REQUIRE_AT_JWT', false),
      scopeClaims: reader.listOr('AUTH_SCOPE_CLAIMS', ['scope', 'scp', 'permissions']),
      roleClaims: reader.listOr('AUTH_ROLE_CLAIMS', ['roles', 'realm_access.roles']),
      adminRole: env.AUTH_ADMIN_ROLE?.trim() || 'admin',
      adminScope: env.AUTH_ADMIN_SCOPE?.trim() || 'admin',
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
    landingPage: reader.boolean('LANDING_PAGE', mode === 'dev'),
    devKeyDir: env.GATEPASS_DEV_KEY_DIR?.trim() || '.gatepass',
  };

  if (problems.length > 0) throw new ConfigError(problems);
  return deepFreeze(config);
}

/** Parses single variables, recording a problem (and returning the default) when one is bad. */
class EnvReader {
  constructor(
    private readonly env: Env,
    private readonly problems: ConfigProblem[],
  ) {}

  list(name: string): string[] {
    return (this.env[name] ?? '').split(',').map((s) => s.trim()).filter((s) => s.length > 0);
  }

  listOr(name: string, fallback: readonly string[]): string[] {
    const values = this.list(name);
    return values.length > 0 ? values : [...fallback];
  }

  integer(name: string, fallback: number, min: number, max: number): number {
    const raw = this.env[name]?.trim();
    if (raw === undefined || raw === '') return fallback;
    const value = /^\d+$/.test(raw) ? Number(raw) : Number.NaN;
    if (!Number.isSafeInteger(value) || value < min || value > max) {
      this.problems.push({ variable: name, problem: `"${raw}" is not a whole number from ${min} to ${max}`, fix: `set ${name} to a whole number such as ${fallback}, or unset it for the default (${fallback})` });
      return fallback;
    }
    return value;
  }

  boolean(name: string, fallback: boolean): boolean {
    const raw = this.env[name]?.trim().toLowerCase();
    if (raw === undefined || raw === '') return fallback;
    if (raw === 'true' || raw === '1') return true;
    if (raw === 'false' || raw === '0') return false;
    this.problems.push({ variable: name, problem: `"${raw}" is not a boolean`, fix: `set ${name} to true or false` });
    return fallback;
  }

  oneOf<T extends string>(name: string, allowed: readonly T[], fallback: T): T {
    const raw = this.env[name]?.trim();
    if (raw === undefined || raw === '') return fallback;
    if ((allowed as readonly string[]).includes(raw)) return raw as T;
    this.problems.push({ variable: name, problem: `"${raw}" is not one of ${allowed.join(', ')}`, fix: `set ${name} to one of ${allowed.join(', ')} (default ${fallback})` });
    return fallback;
  }

  url(name: string, production: boolean): URL | undefined {
    const raw = this.env[name]?.trim();
    if (!raw) return undefined;
    return this.checkIssuerUrl(name, raw, production);
  }

  /** RFC 8414 §2: an https URL; http only for loopback hosts (local development, tests). */
  checkIssuerUrl(name: string, raw: string, production: boolean): URL | undefined {
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      this.problems.push({ variable: name, problem: `"${raw}" is not a URL`, fix: `set ${name} to an absolute https URL` });
      return undefined;
    }
    if (url.search || url.hash) {
      this.problems.push({ variable: name, problem: 'has a query or fragment component', fix: `remove the query and fragment from ${name} (RFC 8414 §2)` });
    }
    const loopback = isLoopbackHost(url.hostname);
    if (url.protocol === 'https:' || (url.protocol === 'http:' && loopback)) return url;
    this.problems.push({
      variable: name,
      problem: `"${url.origin}" must use https${url.protocol === 'http:' ? ' (http is accepted for loopback hosts only)' : ''}`,
      fix: `use an https URL for ${name}${production ? '' : ', or a loopback http URL for local development'}`,
    });
    return undefined;
  }

  redisUrl(name: string): URL | undefined {
    const raw = this.env[name]?.trim();
    if (!raw) return undefined;
    try {
      const url = new URL(raw);
      if (url.protocol === 'redis:' || url.protocol === 'rediss:') return url;
    } catch {
      // reported below
    }
    this.problems.push({ variable: name, problem: 'is not a redis:// or rediss:// URL', fix: `set ${name} like redis://127.0.0.1:6379/0, or unset it for the in-memory store` });
    return undefined;
  }
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !(value instanceof URL) && !Object.isFrozen(value)) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}
