/**
 * What a Node HTTP request carries as credentials, for {@link authenticate}: every
 * `Authorization` header as sent, the request target, the body once read.
 * @see RFC 6750 §2
 */
import type { IncomingMessage } from 'node:http';
import type { ClientCertificateOptions } from '../config/client-certificate-config.js';
import type { Credentials } from '../token/extract.js';
import { certificateThumbprintOf } from './client-certificate.js';

/** The parts of Node's request read for credentials; `body` once an integration parsed it. */
export type NodeCredentialSource = Pick<IncomingMessage, 'rawHeaders' | 'url' | 'headers'> & {
  readonly body?: unknown;
  readonly method?: string | undefined;
  readonly socket?: IncomingMessage['socket'] | undefined;
};

/**
 * The credentials of a Node request. `Authorization` values come from `rawHeaders`: Node joins
 * duplicate headers with ", " in `headers`, which would hide a second credential (RFC 6750 §2:
 * one method per request).
 *
 * @example
 * ```ts
 * const result = await authenticate(credentialsOf(req, config.clientCertificates), { verifier });
 * ```
 */
export function credentialsOf(req: NodeCredentialSource, clientCertificates?: ClientCertificateOptions): Credentials {
  const { authorization, dpop } = credentialHeaders(req.rawHeaders);
  return {
    authorization,
    url: req.url ?? '/',
    contentType: req.headers['content-type'],
    body: req.body,
    // RFC 9449 §4.3: every DPoP header (exactly one is accepted), and the method for `htm`.
    dpop,
    method: req.method,
    // RFC 8705 §3: the certificate of this connection (or of a configured proxy's header).
    certificateThumbprint: certificateThumbprintOf(req as Pick<IncomingMessage, 'socket' | 'headers'>, clientCertificates),
  };
}

/**
 * Every `Authorization` and every `DPoP` value, in one pass over the raw headers; names are
 * compared case-insensitively (RFC 9110 §5.1), and only names of the right length are lowered.
 */
function credentialHeaders(rawHeaders: readonly string[]): { authorization: string[]; dpop: string[] } {
  const authorization: string[] = [];
  const dpop: string[] = [];
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const name = rawHeaders[i]!;
    if (name.length === 13 && name.toLowerCase() === 'authorization') authorization.push(rawHeaders[i + 1]!);
    else if (name.length === 4 && name.toLowerCase() === 'dpop') dpop.push(rawHeaders[i + 1]!);
  }
  return { authorization, dpop };
}
