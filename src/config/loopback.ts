import { isIP } from 'node:net';

/**
 * True when `host` names this machine's loopback interface: `localhost`, 127.0.0.0/8 or ::1.
 * Used to allow `http` issuer URLs for local development only and to keep dev mode off the
 * network.
 */
export function isLoopbackHost(host: string): boolean {
  const bare = host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
  // `localhost` itself only: other `*.localhost` names may be resolved through DNS.
  if (bare === 'localhost') return true;
  if (isIP(bare) === 4) return bare.startsWith('127.');
  if (isIP(bare) === 6) return bare === '::1' || bare === '0:0:0:0:0:0:0:1';
  return false;
}
