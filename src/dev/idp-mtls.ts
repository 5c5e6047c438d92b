/**
 * Certificate-bound access tokens (RFC 8705 §3) from the demo authorization server: one more
 * confidential client whose tokens carry `cnf["x5t#S256"]`, the thumbprint of the client
 * certificate on the TLS connection that asked for them. Off unless the server that hosts the
 * provider also listens with TLS client certificates and names that listener's token endpoint.
 * @see RFC 8705 §3 (certificate-bound tokens), §3.4 (client metadata), §5 (endpoint aliases)
 */
import { TLSSocket } from 'node:tls';
import type { ClientMetadata, Configuration } from 'oidc-provider';
import { DEMO_CLIENTS } from './demo-accounts.js';

/** The parts of the provider's configuration that issue certificate-bound tokens. */
export interface IdpMtlsConfiguration {
  readonly client: ClientMetadata;
  readonly mTLS: NonNullable<NonNullable<Configuration['features']>['mTLS']>;
  readonly discovery: Record<string, unknown>;
}

/**
 * The client and provider settings for certificate-bound tokens. `tokenEndpoint` is the token
 * endpoint on the https listener that asks for client certificates (`requestCert`, trusting the
 * client CA); the issuer itself may stay on plain loopback http, as RFC 8705 §5's aliases allow.
 *
 * @example
 * ```ts
 * const mtls = idpMtlsConfiguration('https://127.0.0.1:4401/token');
 * ```
 */
export function idpMtlsConfiguration(tokenEndpoint: string): IdpMtlsConfiguration {
  return {
    // §3: the client authenticates with its secret; the token is bound to the connection's
    // certificate, independently of the authentication method. §5: it uses the alias.
    client: {
      client_id: DEMO_CLIENTS.mtlsService.clientId,
      client_secret: DEMO_CLIENTS.mtlsService.clientSecret,
      grant_types: ['client_credentials'],
      response_types: [],
      redirect_uris: [],
      tls_client_certificate_bound_access_tokens: true,
      use_mtls_endpoint_aliases: true,
    },
    mTLS: {
      enabled: true,
      certificateBoundAccessTokens: true,
      // The TLS handshake proved the client holds the certificate's key; only a certificate
      // that chains to the listener's client CA binds a token (fail closed otherwise: the
      // provider then refuses the grant, "mutual TLS client certificate not provided").
      getCertificate: (ctx) => {
        const socket = ctx.socket;
        return socket instanceof TLSSocket && socket.authorized ? socket.getPeerX509Certificate() : undefined;
      },
    },
    discovery: { mtls_endpoint_aliases: { token_endpoint: tokenEndpoint } },
  };
}
