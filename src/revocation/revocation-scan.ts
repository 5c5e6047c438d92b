/**
 * What does Redis hold of the revocation list? Reads it whole (bounded), for a reload. A read
 * that fails part-way throws rather than returning less: a record silently missing from a
 * reload that is then declared complete would let a revoked token pass as "not revoked".
 * @see README "Running several instances"
 */
import { decodeRecord, type RevocationKeys, type RevocationRecord, type RevocationRedis } from './revocation-records.js';

/** The result of {@link scanRevocations}. */
export interface RevocationScan {
  /** Every record read, by `kind|id`. */
  readonly records: Map<string, RevocationRecord>;
  /**
   * True when Redis may hold a record missing from `records`: more than the bound, or a key of
   * ours that does not decode. The local copy must not then be declared complete.
   */
  readonly truncated: boolean;
}

const SCAN_COUNT = 1_000;

/**
 * Reads every revocation key (SCAN + pipelined HMGET), at most `maxReload` records.
 * @throws when a SCAN or any one HMGET fails (timeout, connection) or has no reply
 */
export async function scanRevocations(command: RevocationRedis, keys: RevocationKeys, maxReload: number): Promise<RevocationScan> {
  const records = new Map<string, RevocationRecord>();
  let cursor = '0';
  let truncated = false;
  let full = false;
  for (let round = 0; round < Math.ceil(maxReload / SCAN_COUNT) * 10 + 10; round++) {
    const [next, found] = await command.scan(cursor, 'MATCH', keys.pattern, 'COUNT', SCAN_COUNT);
    const pipeline = command.pipeline();
    for (const key of found) pipeline.hmget(key, 'nbf', 'until');
    const values = found.length > 0 ? await pipeline.exec() : [];
    if (!values || values.length !== found.length) throw new Error('revocation reload: pipeline answered no replies');
    found.forEach((key, i) => {
      const [error, fields] = values[i]!;
      if (error) {
        // A key of ours holding something else is not a record: the copy is incomplete (misses
        // then ask Redis). Any other error (timeout, connection) fails the whole reload.
        if (/^WRONGTYPE/.test(error.message)) return void (truncated = true);
        throw error;
      }
      if (!Array.isArray(fields)) throw new Error('revocation reload: unexpected HMGET reply');
      const [nbf, until] = fields as (string | null)[];
      // Expired (or deleted) between SCAN and HMGET: nothing left to load.
      if (until === null || until === undefined) return;
      const [, kind, id] = key.slice(keys.prefix.length).split(':');
      const record = decodeRecord(kind, id, nbf, until);
      if (record && keys.key(record.kind, record.id) === key) records.set(`${record.kind}|${record.id}`, record);
      else truncated = true;
    });
    cursor = next;
    // Bounded: beyond maxReload records, stop reading; the copy is declared incomplete.
    if (records.size > maxReload) full = truncated = true;
    if (cursor === '0' || full) break;
  }
  if (cursor !== '0') truncated = true;
  return { records, truncated };
}
