import type { TokenPolicy } from '../config/config.js';

/** Where RFC 9728 §3 puts a protected resource's metadata. */
export const PROTECTED_RESOURCE_METADATA_PATH = '/.well-known/oauth-protected-resource';

/**
 * The API's OAuth 2.0 Protected Resource Metadata: which authorization servers issue its tokens
 * and how to present them (header only).
 * @see RFC 9728 §2 (metadata), §3 (where it is served)
 */
export function protectedResourceMetadata(policy: Pick<TokenPolicy, 'audiences' | 'issuers'>, baseUrl: string): Record<string, unknown> {
  return {
    resource: policy.audiences[0] ?? baseUrl,
    authorization_servers: [...policy.issuers],
    // RFC 6750 §2.1 only: gatepass refuses tokens in the body or the query.
    bearer_methods_supported: ['header'],
    resource_name: 'gatepass example API',
  };
}
