/**
 * How a revocation looks in Redis and on the wire between instances: key names, the pub/sub
 * message, and the one script that records a revocation and announces it atomically.
 * @see RFC 7009 §2 (revocation), RFC 9068 §2.2 (`jti`); README "Running several instances"
 */
import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';

/** `t`: one token by `jti`; `s`: every token of a subject issued before `nbfMs`. */
export type RevocationKind = 't' | 's';

/** One revocation: what every instance's local copy and Redis hold. */
export interface RevocationRecord {
  readonly kind: RevocationKind;
  /** SHA-256 of the `jti` or `sub` (fixed length; Redis keys never carry claim values). */
  readonly id: string;
  /** Subject revocations only: tokens issued before this instant are refused. */
  readonly nbfMs: number | undefined;
  /** The entry lapses here: no token it covers can still be accepted. */
  readonly untilMs: number;
}

/** Key names under one prefix. */
export interface RevocationKeys {
  readonly prefix: string;
  readonly channel: string;
  readonly pattern: string;
  key(kind: RevocationKind, id: string): string;
}

/** The key layout under `prefix` (default `gatepass:`). */
export function revocationKeys(prefix = 'gatepass:'): RevocationKeys {
  return {
    prefix,
    channel: `${prefix}rev:events`,
    pattern: `${prefix}rev:[ts]:*`,
    key: (kind, id) => `${prefix}rev:${kind}:${id}`,
  };
}

/** The stored id of a `jti` or subject. */
export function revocationId(kind: RevocationKind, value: string): string {
  return createHash('sha256').update(`${kind}:${value}`).digest('base64url');
}

/** Later revocations widen: the larger `until`, the larger `nbf` (same rule as the memory store). */
export function mergeRecords(a: RevocationRecord | undefined, b: RevocationRecord): RevocationRecord {
  if (!a) return b;
  const nbfMs = a.nbfMs === undefined ? b.nbfMs : b.nbfMs === undefined ? a.nbfMs : Math.max(a.nbfMs, b.nbfMs);
  return { kind: b.kind, id: b.id, nbfMs, untilMs: Math.max(a.untilMs, b.untilMs) };
}

/** The pub/sub message of a record: `kind|id|nbf|until`. */
export function encodeRecord(record: RevocationRecord): string {
  return `${record.kind}|${record.id}|${record.nbfMs ?? ''}|${record.untilMs}`;
}

/** Parses a message or a stored hash; `undefined` when it is not one of ours. */
export function decodeRecord(kind: string | undefined, id: string | undefined, nbf: string | null | undefined, until: string | null | undefined): RevocationRecord | undefined {
  if ((kind !== 't' && kind !== 's') || !id || !/^[\w-]{43}$/.test(id)) return undefined;
  const untilMs = Number(until);
  const nbfMs = nbf ? Number(nbf) : undefined;
  if (!Number.isSafeInteger(untilMs) || (nbfMs !== undefined && !Number.isSafeInteger(nbfMs))) return undefined;
  return { kind, id, nbfMs: kind === 's' ? (nbfMs ?? untilMs) : undefined, untilMs };
}

/** Parses a pub/sub message. */
export function decodeMessage(message: string): RevocationRecord | undefined {
  const [kind, id, nbf, until, ...rest] = message.split('|');
  return rest.length === 0 ? decodeRecord(kind, id, nbf, until) : undefined;
}

/**
 * Merges a record into Redis (widen, never narrow), sets its TTL to `until` and publishes the
 * merged record, in one atomic step: no instance can see the write without the announcement.
 * KEYS[1] entry; ARGV kind, id, nbf ('' for a token), until, now, channel.
 */
const MERGE_SCRIPT = `
local nbf = tonumber(ARGV[3])
local untilMs = tonumber(ARGV[4])
local nowMs = tonumber(ARGV[5])
local cur = redis.call('HMGET', KEYS[1], 'nbf', 'until')
local curUntil = tonumber(cur[2])
if curUntil and curUntil > untilMs then untilMs = curUntil end
local curNbf = tonumber(cur[1])
if nbf and curNbf and curNbf > nbf then nbf = curNbf end
if untilMs <= nowMs then return 0 end
local u = string.format('%.0f', untilMs)
local n = ''
if nbf then n = string.format('%.0f', nbf) end
redis.call('HSET', KEYS[1], 'until', u, 'nbf', n)
redis.call('PEXPIRE', KEYS[1], string.format('%.0f', untilMs - nowMs))
redis.call('PUBLISH', ARGV[6], ARGV[1] .. '|' .. ARGV[2] .. '|' .. n .. '|' .. u)
return 1
`;

/** A Redis connection that knows the merge script. */
export type RevocationRedis = Redis & {
  gatepassMergeRevocation(key: string, kind: string, id: string, nbf: string, until: string, now: string, channel: string): Promise<number>;
};

/** Teaches a connection the merge script (EVALSHA, falling back to EVAL once per connection). */
export function withMergeScript(redis: Redis): RevocationRedis {
  if (!('gatepassMergeRevocation' in redis)) redis.defineCommand('gatepassMergeRevocation', { numberOfKeys: 1, lua: MERGE_SCRIPT });
  return redis as RevocationRedis;
}

/** Records (and announces) one revocation in Redis. */
export function storeRecord(redis: RevocationRedis, keys: RevocationKeys, record: RevocationRecord, nowMs: number): Promise<number> {
  return redis.gatepassMergeRevocation(
    keys.key(record.kind, record.id), record.kind, record.id, record.nbfMs === undefined ? '' : String(record.nbfMs), String(record.untilMs), String(nowMs), keys.channel,
  );
}
