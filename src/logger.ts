import { createHash } from 'node:crypto';
import { pino, type Logger } from 'pino';

export type { Logger } from 'pino';

/**
 * Paths redacted from every log line: credentials never reach a log, whatever a caller passes.
 * @see RFC 6750 §5.3 (do not store bearer tokens in the clear)
 */
const REDACTED_PATHS = [
  'req.headers.authorization',
  'headers.authorization',
  'authorization',
  'token',
  'access_token',
  '*.token',
  '*.access_token',
  'clientSecret',
  '*.clientSecret',
];

/**
 * Creates the structured JSON (pino) logger gatepass writes to.
 *
 * @example
 * ```ts
 * const logger = createLogger({ level: 'info' });
 * logger.info({ reason: 'expired', token: fingerprint(token) }, 'token refused');
 * ```
 */
export function createLogger(options: { level: string; destination?: NodeJS.WritableStream }): Logger {
  return pino(
    { level: options.level, redact: { paths: REDACTED_PATHS, censor: '[redacted]' }, base: { service: 'gatepass' } },
    options.destination ?? process.stdout,
  );
}

/** A logger that writes nothing (library default). */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}

/**
 * A short SHA-256 fingerprint of a token: enough to correlate log lines, never enough to use.
 */
export function fingerprint(token: string): string {
  return createHash('sha256').update(token).digest('base64url').slice(0, 12);
}
