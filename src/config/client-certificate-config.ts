/**
 * Client certificates for certificate-bound tokens (RFC 8705): the CA the https server asks
 * client certificates of, and, behind a TLS-terminating proxy, the header that carries the
 * proxy's client certificate and the only addresses it is believed from.
 * @see RFC 8705 §3 (bound tokens), §2 (client certificates)
 */
import { isIP } from 'node:net';
import type { ConfigProblem } from './config-error.js';
import type { Env, EnvReader } from './env-reader.js';

/** What `TLS_CLIENT_CA`, `TLS_CLIENT_CERT_HEADER` and `TLS_CLIENT_CERT_PROXIES` configure. */
export interface ClientCertificateOptions {
  /** PEM file of the CA(s) client certificates must chain to; the https server requests them. */
  readonly caFile: string | undefined;
  /** Lower-case header name carrying the URL-encoded PEM certificate (nginx `$ssl_client_escaped_cert`). */
  readonly header: string | undefined;
  /** Peer addresses the header is read from; from anyone else it is ignored. */
  readonly proxies: readonly string[];
}

/** True when some way of learning the client certificate is configured. */
export function clientCertificatesEnabled(options: ClientCertificateOptions | undefined): boolean {
  return options !== undefined && (options.caFile !== undefined || options.header !== undefined);
}

/** Reads the three variables, checking that they make sense together. */
export function readClientCertificateOptions(env: Env, reader: EnvReader, problems: ConfigProblem[], tls: boolean): ClientCertificateOptions {
  const caFile = env.TLS_CLIENT_CA?.trim() || undefined;
  const header = env.TLS_CLIENT_CERT_HEADER?.trim().toLowerCase() || undefined;
  const proxies = reader.list('TLS_CLIENT_CERT_PROXIES');
  if (caFile && !tls) {
    problems.push({ variable: 'TLS_CLIENT_CA', problem: 'is set but the server does not serve https', fix: 'set TLS_CERT and TLS_KEY too, or use TLS_CLIENT_CERT_HEADER behind a proxy' });
  }
  if (header && proxies.length === 0) {
    // Believed from anyone, the header would let any client claim any certificate.
    problems.push({ variable: 'TLS_CLIENT_CERT_PROXIES', problem: 'unset while TLS_CLIENT_CERT_HEADER is set', fix: 'list the IP addresses of the proxies that set the header, e.g. 10.0.0.5,10.0.0.6' });
  }
  for (const proxy of proxies) {
    if (isIP(proxy) === 0) problems.push({ variable: 'TLS_CLIENT_CERT_PROXIES', problem: `"${proxy}" is not an IP address`, fix: 'use a comma list of IP addresses' });
  }
  if (proxies.length > 0 && !header) {
    problems.push({ variable: 'TLS_CLIENT_CERT_HEADER', problem: 'unset while TLS_CLIENT_CERT_PROXIES is set', fix: 'name the header the proxy puts the client certificate in, e.g. x-client-cert' });
  }
  return { caFile, header, proxies };
}
