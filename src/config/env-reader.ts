import { isLoopbackHost } from './loopback.js';
import type { ConfigProblem } from './config-error.js';

/** Environment variables as given: names to raw strings. */
export type Env = Readonly<Record<string, string | undefined>>;

/** Parses single variables, recording a problem (and returning the default) when one is bad. */
export class EnvReader {
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

  /**
   * A comma list of JWS algorithms, each one of `accepted` (asymmetric only: RFC 8725 §3.1,
   * RFC 9449 §4.3); `fallback` when unset. `why` ends the fix of a refused name.
   */
  algorithms<A extends string>(name: string, accepted: readonly A[], fallback: readonly A[], why: string): A[] {
    const names = this.list(name);
    for (const alg of names) {
      if (!(accepted as readonly string[]).includes(alg)) {
        this.problems.push({ variable: name, problem: `"${alg}" is not an accepted asymmetric JWS algorithm`, fix: `use a comma list of ${accepted.join(', ')} (${why})` });
      }
    }
    return (names.length > 0 ? names : [...fallback]) as A[];
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
