/**
 * The client certificate of a request, as RFC 8705 binds tokens to it: its SHA-256 thumbprint
 * (`x5t#S256`), from the TLS connection itself or, behind a TLS-terminating proxy, from the
 * configured header of a configured proxy only.
 * @see RFC 8705 §3.1 (`x5t#S256` confirmation method)
 */
import { hash, X509Certificate } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';
import type { ClientCertificateOptions } from '../config/client-certificate-config.js';

/** Longest header value looked at: a certificate chain is a few KiB. */
const MAX_HEADER_LENGTH = 32 * 1024;

/**
 * The base64url SHA-256 thumbprint of the DER certificate the client authenticated with, or
 * `undefined`. A connection certificate counts only when it chains to `TLS_CLIENT_CA`
 * (`socket.authorized`); a header only when the peer is a configured proxy.
 *
 * @example
 * ```ts
 * const thumbprint = certificateThumbprintOf(req, config.clientCertificates);
 * ```
 * @see RFC 8705 §3.1
 */
export function certificateThumbprintOf(
  req: Pick<IncomingMessage, 'socket' | 'headers'>,
  options: ClientCertificateOptions | undefined,
): string | undefined {
  if (!options) return undefined;
  const socket = req.socket as Partial<TLSSocket> | undefined;
  if (options.caFile && socket?.encrypted && socket.authorized && typeof socket.getPeerCertificate === 'function') {
    const raw = socket.getPeerCertificate().raw;
    if (raw && raw.length > 0) return hash('sha256', raw, 'base64url');
  }
  if (options.header && socket?.remoteAddress !== undefined && options.proxies.includes(unmapped(socket.remoteAddress))) {
    const value = req.headers[options.header];
    if (typeof value === 'string' && value.length <= MAX_HEADER_LENGTH) return headerThumbprint(value);
  }
  return undefined;
}

/** nginx's `$ssl_client_escaped_cert` (URL-encoded PEM) or a bare PEM; unreadable → none. */
function headerThumbprint(value: string): string | undefined {
  try {
    return hash('sha256', new X509Certificate(decodeURIComponent(value)).raw, 'base64url');
  } catch {
    return undefined;
  }
}

/** `::ffff:10.0.0.5` (an IPv4 peer on a dual-stack socket) is `10.0.0.5`. */
function unmapped(address: string): string {
  return address.startsWith('::ffff:') ? address.slice(7) : address;
}
