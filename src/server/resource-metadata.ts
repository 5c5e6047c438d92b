import type { TokenPolicy } from '../config/config.js';
import { dpopEnabled } from '../config/dpop-config.js';
import { clientCertificatesEnabled, type ClientCertificateOptions } from '../config/client-certificate-config.js';

/** Where RFC 9728 §3 puts a protected resource's metadata. */
export const PROTECTED_RESOURCE_METADATA_PATH = '/.well-known/oauth-protected-resource';

/**
 * The API's OAuth 2.0 Protected Resource Metadata: which authorization servers issue its tokens
 * and how to present them (header only; DPoP proofs when accepted).
 * @see RFC 9728 §2 (metadata), §3 (where it is served); RFC 9449 §5.1 (DPoP fields)
 */
export function protectedResourceMetadata(
  policy: Pick<TokenPolicy, 'audiences' | 'issuers' | 'dpop'>,
  baseUrl: string,
  clientCertificates?: ClientCertificateOptions,
): Record<string, unknown> {
  const dpop = policy.dpop && dpopEnabled(policy.dpop) ? policy.dpop : undefined;
  const modes = dpop ? [dpop.mode, ...Object.values(dpop.issuerModes)] : [];
  return {
    resource: policy.audiences[0] ?? baseUrl,
    authorization_servers: [...policy.issuers],
    // RFC 6750 §2.1 only: gatepass refuses tokens in the body or the query.
    bearer_methods_supported: ['header'],
    resource_name: 'gatepass example API',
    // RFC 9728 §2: required only when every issuer's tokens must be DPoP-bound.
    dpop_bound_access_tokens_required: modes.length > 0 && modes.every((mode) => mode === 'required'),
    ...(dpop ? { dpop_signing_alg_values_supported: [...dpop.algorithms] } : {}),
    // RFC 8705 §3: accepted when the server learns client certificates (TLS_CLIENT_CA or a proxy header).
    tls_client_certificate_bound_access_tokens: clientCertificatesEnabled(clientCertificates),
  };
}
