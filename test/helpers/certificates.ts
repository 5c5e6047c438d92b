/**
 * Test certificates made with openssl at test time, in a fresh temporary folder: a client CA,
 * client certificates it signed, and a self-signed server certificate for 127.0.0.1. P-256 keys,
 * valid one day. Nothing is kept after {@link TestCertificates.remove}.
 *
 * @example
 * ```ts
 * const certs = await makeTestCertificates(['a', 'b']);
 * // TLS_CERT=certs.file('server.pem') TLS_KEY=certs.file('server.key') TLS_CLIENT_CA=certs.file('ca.pem')
 * await certs.remove();
 * ```
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The certificates of one test, as files in their folder. */
export interface TestCertificates {
  /** Path of `ca.pem`/`ca.key`, `server.pem`/`server.key`, `<client>.pem`/`<client>.key`. */
  file(name: string): string;
  /** TLS options of a client: trusts the server certificate, presents `client`'s certificate if given. */
  tls(client?: string): { ca: Buffer; cert?: Buffer; key?: Buffer };
  /** RFC 8705 §3.1: base64url SHA-256 of the DER certificate, the `cnf["x5t#S256"]` it binds. */
  thumbprint(client: string): string;
  remove(): Promise<void>;
}

const openssl = (...args: string[]) => execFileSync('openssl', args, { stdio: 'ignore' });
const P256 = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'];

/** Makes the client CA, the server certificate and one client certificate per name. */
export async function makeTestCertificates(clients: readonly string[]): Promise<TestCertificates> {
  const dir = await mkdtemp(join(tmpdir(), 'gatepass-mtls-'));
  const file = (name: string) => join(dir, name);
  openssl('req', '-x509', ...P256, '-days', '1', '-subj', '/CN=test client CA', '-keyout', file('ca.key'), '-out', file('ca.pem'));
  openssl('req', '-x509', ...P256, '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', file('server.key'), '-out', file('server.pem'));
  for (const name of clients) {
    openssl('req', ...P256, '-subj', `/CN=${name}`, '-keyout', file(`${name}.key`), '-out', file(`${name}.csr`));
    openssl('x509', '-req', '-in', file(`${name}.csr`), '-CA', file('ca.pem'), '-CAkey', file('ca.key'), '-CAcreateserial', '-days', '1', '-out', file(`${name}.pem`));
  }
  return {
    file,
    tls: (client) => ({ ca: readFileSync(file('server.pem')), ...(client ? { cert: readFileSync(file(`${client}.pem`)), key: readFileSync(file(`${client}.key`)) } : {}) }),
    thumbprint: (client) => createHash('sha256').update(execFileSync('openssl', ['x509', '-in', file(`${client}.pem`), '-outform', 'DER'])).digest('base64url'),
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}
