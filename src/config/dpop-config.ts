/**
 * DPoP settings read from the environment: whether the `DPoP` scheme is accepted (per issuer
 * where issuers differ), which proof algorithms, how old a proof may be, server nonces, and the
 * public URL proofs are made for.
 * @see RFC 9449 §4.3 (checking proofs), §7.1 (the DPoP scheme), §8 (nonces)
 */
import { ASYMMETRIC_ALGORITHMS, type JwsAlgorithm } from './config.js';
import type { ConfigProblem } from './config-error.js';
import type { Env, EnvReader } from './env-reader.js';
import { isLoopbackHost } from './loopback.js';

/** `off`: the DPoP scheme is refused; `allowed`: Bearer and DPoP; `required`: DPoP only. */
export type DpopMode = 'off' | 'allowed' | 'required';

/** What `AUTH_DPOP*` and `AUTH_PUBLIC_URL` configure. */
export interface DpopOptions {
  /** Mode of issuers not named in {@link issuerModes}. @default 'off' */
  readonly mode: DpopMode;
  /** Per-issuer modes (`AUTH_DPOP=https://a.example=required,allowed`). */
  readonly issuerModes: Readonly<Record<string, DpopMode>>;
  /** Proof algorithms accepted (asymmetric only). @default ['ES256','PS256','RS256','EdDSA'] */
  readonly algorithms: readonly JwsAlgorithm[];
  /** Oldest accepted proof `iat`, seconds; also the replay window. @default 300 */
  readonly proofMaxAgeSeconds: number;
  /** Require server-issued nonces (RFC 9449 §8). @default false */
  readonly nonce: boolean;
  /** Public base URL proofs' `htu` is made for (behind a proxy); else the server's own address. */
  readonly publicUrl: URL | undefined;
}

const MODES: readonly DpopMode[] = ['off', 'allowed', 'required'];
const DEFAULT_DPOP_ALGORITHMS: readonly JwsAlgorithm[] = ['ES256', 'PS256', 'RS256', 'EdDSA'];

/** The mode for one issuer. */
export function dpopModeFor(options: Pick<DpopOptions, 'mode' | 'issuerModes'>, issuer: string): DpopMode {
  return Object.hasOwn(options.issuerModes, issuer) ? options.issuerModes[issuer]! : options.mode;
}

/** True when some issuer accepts the DPoP scheme. */
export function dpopEnabled(options: Pick<DpopOptions, 'mode' | 'issuerModes'>): boolean {
  return options.mode !== 'off' || Object.values(options.issuerModes).some((mode) => mode !== 'off');
}

/**
 * Reads `AUTH_DPOP` (a mode, or a comma list of `issuer=mode` items and one bare default mode),
 * `AUTH_DPOP_ALGORITHMS`, `AUTH_DPOP_MAX_AGE`, `AUTH_DPOP_NONCE` and `AUTH_PUBLIC_URL`.
 */
export function readDpopOptions(env: Env, reader: EnvReader, problems: ConfigProblem[], context: { issuers: readonly string[]; host: string }): DpopOptions {
  let mode: DpopMode = 'off';
  const issuerModes: Record<string, DpopMode> = {};
  for (const item of reader.list('AUTH_DPOP')) {
    const split = item.lastIndexOf('=');
    const issuer = split < 0 ? undefined : item.slice(0, split).trim();
    const value = (split < 0 ? item : item.slice(split + 1)).trim() as DpopMode;
    if (!MODES.includes(value) || (issuer !== undefined && !context.issuers.includes(issuer))) {
      problems.push({
        variable: 'AUTH_DPOP',
        problem: `"${item}" is not a mode (${MODES.join(', ')}) or an issuer=mode pair naming one of AUTH_ISSUER`,
        fix: 'set AUTH_DPOP to off, allowed or required, optionally with issuer=mode items, e.g. allowed,https://idp.example=required',
      });
    } else if (issuer === undefined) mode = value;
    else issuerModes[issuer] = value;
  }
  const algorithms = reader.algorithms('AUTH_DPOP_ALGORITHMS', ASYMMETRIC_ALGORITHMS, DEFAULT_DPOP_ALGORITHMS, 'RFC 9449 §4.3: no MAC, no "none"');
  const publicUrl = readPublicUrl(env, problems);
  const options: DpopOptions = {
    mode,
    issuerModes,
    algorithms,
    proofMaxAgeSeconds: reader.integer('AUTH_DPOP_MAX_AGE', 300, 5, 3_600),
    nonce: reader.boolean('AUTH_DPOP_NONCE', false),
    publicUrl,
  };
  // RFC 9449 §4.3 check 9 compares `htu` with the URL the client used. Off loopback, the bind
  // address (0.0.0.0, a pod IP) is not that URL, and the Host header is the client's to forge.
  if (dpopEnabled(options) && !publicUrl && !isLoopbackHost(context.host)) {
    problems.push({
      variable: 'AUTH_PUBLIC_URL',
      problem: 'unset while AUTH_DPOP accepts DPoP proofs on a non-loopback HOST, so proofs cannot be matched to this server',
      fix: 'set AUTH_PUBLIC_URL to the URL clients call, e.g. https://api.example.com (path prefix allowed)',
    });
  }
  return options;
}

function readPublicUrl(env: Env, problems: ConfigProblem[]): URL | undefined {
  const raw = env.AUTH_PUBLIC_URL?.trim();
  if (!raw) return undefined;
  try {
    const url = new URL(raw);
    if ((url.protocol === 'https:' || url.protocol === 'http:') && !url.search && !url.hash) return url;
  } catch {
    // reported below
  }
  problems.push({ variable: 'AUTH_PUBLIC_URL', problem: `"${raw}" is not an http(s) URL without query or fragment`, fix: 'set AUTH_PUBLIC_URL like https://api.example.com' });
  return undefined;
}
