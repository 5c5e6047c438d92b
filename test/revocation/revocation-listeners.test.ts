/**
 * Stores tell listeners when a revocation takes effect (open sockets then re-ask isRevoked):
 * the memory store on each recorded revocation, the fleet's local copy on each record that is
 * news (new or widened), never on one it already holds — or a listener whose isRevoked fetches
 * from Redis would start another round of checks forever.
 */
import { describe, expect, it } from 'vitest';
import { LocalRevocations } from '../../src/revocation/local-revocations.js';
import { createMemoryRevocationStore } from '../../src/revocation/memory-store.js';
import { RevocationListeners } from '../../src/revocation/revocation-listeners.js';
import { revocationId, type RevocationRecord } from '../../src/revocation/revocation-records.js';

const now = Date.now();
const later = (ms: number) => new Date(now + ms);

describe('the memory store', () => {
  it.each([
    ['a token revocation', (s: ReturnType<typeof createMemoryRevocationStore>) => s.revokeToken('j1', later(60_000)), 1],
    ['a subject revocation', (s: ReturnType<typeof createMemoryRevocationStore>) => s.revokeSubject('u1', later(0), later(60_000)), 1],
    ['a token already expired (nothing recorded)', (s: ReturnType<typeof createMemoryRevocationStore>) => s.revokeToken('j1', later(-1)), 0],
  ])('%s', (_name, act, told) => {
    const store = createMemoryRevocationStore();
    let heard = 0;
    const stop = store.onRevocation!(() => heard++);
    act(store);
    expect(heard).toBe(told);
    stop();
    act(store);
    expect(heard).toBe(told);
  });
});

describe('the local copy of the fleet', () => {
  const record = (untilMs: number, nbfMs?: number): RevocationRecord =>
    ({ kind: nbfMs === undefined ? 't' : 's', id: revocationId(nbfMs === undefined ? 't' : 's', 'x'), nbfMs, untilMs });

  it.each([
    ['a new token record', [record(now + 60_000)], 1],
    ['the same record twice (a reload, a fetch from Redis)', [record(now + 60_000), record(now + 60_000)], 1],
    ['a record widened (later until)', [record(now + 60_000), record(now + 90_000)], 2],
    ['a narrower record (merged to what is held)', [record(now + 90_000), record(now + 60_000)], 1],
    ['a subject record, then a later notBefore', [record(now + 60_000, now), record(now + 60_000, now + 1_000)], 2],
    ['a record already lapsed', [record(now - 1)], 0],
  ])('%s', (_name, records, told) => {
    const local = new LocalRevocations();
    let heard = 0;
    local.onChange(() => heard++);
    for (const r of records) local.apply(r);
    expect(heard).toBe(told);
  });
});

it('one listener that throws does not keep the others from hearing', () => {
  const listeners = new RevocationListeners();
  const heard: string[] = [];
  listeners.add(() => {
    throw new Error('boom');
  });
  listeners.add(() => heard.push('second'));
  listeners.notify();
  expect(heard).toEqual(['second']);
});
