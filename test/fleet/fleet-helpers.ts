/** Shared pieces of the fleet tests: a logger that keeps its lines, principals, polling. */
import { Writable } from 'node:stream';
import { createLogger, type Logger } from '../../src/logger.js';
import { toPrincipal, type Principal } from '../../src/token/principal.js';
import { policyFor } from '../token/fixtures.js';

/** A JSON logger whose lines a test can read. */
export function recordingLogger(): { logger: Logger; lines: () => Array<Record<string, unknown>> } {
  const lines: Array<Record<string, unknown>> = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n')) if (line.trim()) lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  return { logger: createLogger({ level: 'debug', destination }), lines: () => lines };
}

/** A principal as the verifier would build it, issued `ageMs` ago. */
export function principalOf(claims: { sub?: string; jti?: string; ageMs?: number }): Principal {
  const iat = Math.floor((Date.now() - (claims.ageMs ?? 0)) / 1000);
  return toPrincipal({ iss: 'i', sub: claims.sub ?? 'u1', jti: claims.jti, iat, exp: iat + 300 }, policyFor(['i']));
}

/** Polls `probe` until it returns true; resolves the ms it took, rejects after `timeoutMs`. */
export async function within(timeoutMs: number, probe: () => boolean | Promise<boolean>): Promise<number> {
  const started = performance.now();
  while (performance.now() - started < timeoutMs) {
    if (await probe()) return performance.now() - started;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`condition not met within ${timeoutMs} ms`);
}

/** What `isRevoked` answers: true, false, or the error code it throws. */
export async function answer(check: () => boolean | Promise<boolean>): Promise<boolean | string> {
  try {
    return await check();
  } catch (error) {
    return (error as { code?: string }).code ?? String(error);
  }
}
