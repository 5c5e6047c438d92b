/**
 * Where an issuer publishes its key set: authorization server metadata discovery.
 * @see RFC 8414 §3 (metadata request), §3.1 (well-known URI with a path), §3.3 (validation);
 *      OpenID Connect Discovery 1.0 §4
 */
import { readBounded } from './read-bounded.js';
import { isLoopbackHost } from '../config/loopback.js';

/** Largest metadata document read, bytes: a hostile endpoint cannot make us buffer more. */
const MAX_METADATA_BYTES = 256 * 1024;

/** Why a metadata URL was not used; for logs and readiness, never for clients. */
export class DiscoveryError extends Error {
  readonly code = 'ERR_DISCOVERY';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'DiscoveryError';
  }
}

/**
 * The metadata URLs tried for an issuer, in order: RFC 8414 first, then OpenID Connect.
 *
 * RFC 8414 §3.1 inserts the well-known segment between host and path
 * (`https://as/tenant` → `https://as/.well-known/oauth-authorization-server/tenant`);
 * OpenID Connect Discovery §4 appends it to the issuer.
 */
export function metadataUrls(issuer: string): URL[] {
  const url = new URL(issuer);
  const path = url.pathname.replace(/\/+$/, '');
  return [
    new URL(`/.well-known/oauth-authorization-server${path}`, url.origin),
    new URL(`${path}/.well-known/openid-configuration`, url.origin),
  ];
}

/**
 * Finds the issuer's `jwks_uri` from its metadata, trying each URL of {@link metadataUrls}.
 *
 * @example
 * ```ts
 * const jwksUri = await discoverJwksUri('https://as.example.com', { timeoutMs: 5000 });
 * ```
 * @throws {DiscoveryError} when no metadata URL gives usable metadata (all reasons joined)
 * @see RFC 8414 §3.3: the `issuer` in the metadata must be identical to the issuer asked for
 */
export async function discoverJwksUri(issuer: string, options: { readonly timeoutMs: number }): Promise<URL> {
  const problems: string[] = [];
  let lastCause: unknown;
  for (const url of metadataUrls(issuer)) {
    try {
      return await jwksUriFrom(url, issuer, options.timeoutMs);
    } catch (error) {
      lastCause = error;
      problems.push(`${url.href}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  throw new DiscoveryError(`no usable metadata for ${issuer} (${problems.join('; ')})`, { cause: lastCause });
}

async function jwksUriFrom(url: URL, issuer: string, timeoutMs: number): Promise<URL> {
  // Redirects are not followed: the metadata must live at the well-known URL itself.
  const response = await fetch(url, {
    headers: { accept: 'application/json' },
    redirect: 'manual',
    signal: AbortSignal.timeout(timeoutMs),
  });
  if (response.status !== 200) {
    await response.body?.cancel();
    throw new DiscoveryError(`HTTP ${response.status}`);
  }
  let metadata: unknown;
  try {
    metadata = JSON.parse(await readBounded(response, MAX_METADATA_BYTES));
  } catch (cause) {
    throw new DiscoveryError('metadata is not JSON', { cause });
  }
  if (typeof metadata !== 'object' || metadata === null || Array.isArray(metadata)) {
    throw new DiscoveryError('metadata is not a JSON object');
  }
  const record = metadata as Record<string, unknown>;
  // RFC 8414 §3.3: "the issuer value returned MUST be identical to the authorization server's
  // issuer identifier … If these values are not identical, the data contained in the response
  // MUST NOT be used."
  if (record.issuer !== issuer) throw new DiscoveryError('metadata issuer differs from the configured issuer');
  if (typeof record.jwks_uri !== 'string') throw new DiscoveryError('metadata has no jwks_uri');
  let jwksUri: URL;
  try {
    jwksUri = new URL(record.jwks_uri);
  } catch (cause) {
    throw new DiscoveryError('jwks_uri is not a URL', { cause });
  }
  // RFC 8414 §2: jwks_uri is a URL; gatepass's rule for every endpoint: https, or http on loopback.
  if (!(jwksUri.protocol === 'https:' || (jwksUri.protocol === 'http:' && isLoopbackHost(jwksUri.hostname)))) {
    throw new DiscoveryError('jwks_uri must use https');
  }
  return jwksUri;
}

