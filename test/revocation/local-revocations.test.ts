import { describe, expect, it } from 'vitest';
import { LocalRevocations } from '../../src/revocation/local-revocations.js';
import { revocationId, type RevocationRecord } from '../../src/revocation/revocation-records.js';

const token = (jti: string, lifeMs: number): RevocationRecord => ({ kind: 't', id: revocationId('t', jti), nbfMs: undefined, untilMs: Date.now() + lifeMs });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('the local copy of the revocation list', () => {
  it('stays complete when a full copy makes room from lapsed entries', async () => {
    const local = new LocalRevocations({ maxTokens: 2 });
    local.markComplete(local.beginReload());
    local.apply(token('a', 40));
    local.apply(token('b', 40));
    await sleep(80);
    local.apply(token('c', 60_000));
    local.apply(token('d', 60_000));
    expect(local.complete).toBe(true);
    expect(local.lookup('t', revocationId('t', 'c'))).toBeDefined();
  });

  it('becomes incomplete when an entry still in force is dropped', () => {
    const local = new LocalRevocations({ maxTokens: 2 });
    local.markComplete(local.beginReload());
    for (const jti of ['a', 'b', 'c']) local.apply(token(jti, 60_000));
    expect(local.complete).toBe(false);
  });
});
