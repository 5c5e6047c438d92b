/**
 * The reference server's plain routes beside GraphQL: liveness, readiness, refusal metrics, the
 * protected resource metadata and, in dev mode, the dev issuer's key set.
 * @see RFC 9728 §3 (protected resource metadata), RFC 7517 §5 (JWK Set)
 */
import type { DevIssuer } from '../dev/dev-issuer.js';
import type { Fleet } from '../fleet/open-fleet.js';
import type { TokenVerifier } from '../token/verify.js';
import { sendJson, type Route } from './http-handler.js';
import type { AuthFailureCounter } from './metrics.js';
import { PROTECTED_RESOURCE_METADATA_PATH } from './resource-metadata.js';

/** What the routes report on. */
export interface OperationalRouteDeps {
  readonly verifier: Pick<TokenVerifier, 'readiness'>;
  readonly fleet: Pick<Fleet, 'readiness'> | undefined;
  readonly failures: AuthFailureCounter;
  readonly devIssuer: DevIssuer | undefined;
  /** The RFC 9728 document, built when asked (it names the server's own URL). */
  readonly metadata: () => unknown;
}

/**
 * The routes by exact path, for `createRequestListener`.
 *
 * @example
 * ```ts
 * const routes = operationalRoutes({ verifier, fleet, failures, devIssuer, metadata: () => protectedResourceMetadata(policy, baseUrl) });
 * ```
 */
export function operationalRoutes(deps: OperationalRouteDeps): Record<string, Route> {
  const { verifier, fleet, failures, devIssuer } = deps;
  return {
    '/healthz': (_req, res) => sendJson(res, 200, { status: 'ok' }),
    '/readyz': (_req, res) => {
      // Ready or not per issuer; the error detail (URLs, errno) goes to the log, not to callers.
      const issuers = verifier.readiness().map(({ issuer, ready }) => ({ issuer, ready }));
      const redis = fleet?.readiness();
      const ready = issuers.every((issuer) => issuer.ready) && (redis?.ready ?? true);
      sendJson(res, ready ? 200 : 503, { status: ready ? 'ready' : 'not ready', issuers, ...(redis ? { redis } : {}) }, ready ? {} : { 'retry-after': '5' });
    },
    '/metrics': (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' });
      res.end(failures.toPrometheus());
    },
    [PROTECTED_RESOURCE_METADATA_PATH]: (_req, res) => sendJson(res, 200, deps.metadata()),
    ...(devIssuer ? { '/.well-known/jwks.json': (_req, res) => sendJson(res, 200, devIssuer.jwks) } : {}),
  };
}
