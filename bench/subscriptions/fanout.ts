/**
 * Fan-out: one event (createPost → postAdded) to N subscribers over real sockets, timed from
 * the mutation's start until the last subscriber has it, with gatepass's guards and without,
 * each server alone in its process, every variant in every round (shuffled). Also the heap each
 * idle subscribed connection costs a guarded server (after GC, server side).
 *
 * Variants: `unguarded` (baseline: no transformer), `guarded` (read:user subscribers: the
 * author's guard passes), `guarded-anonymous` (anonymous subscribers: the author is denied, an
 * error per event and subscriber).
 *
 * @example
 * ```sh
 * npx tsx bench/subscriptions/fanout.ts   # prints the markdown table; --quick for 200 subscribers
 * ```
 */
import { WebSocket } from 'ws';
import { startChild, type BenchChild } from '../lib/child.js';
import { pairedRatio, shuffled, summarize, formatSummary, type Summary } from '../lib/stats.js';
import type { FanoutListening } from './server-child.js';

/** What the scenario measured. */
export interface FanoutResults {
  readonly subscribers: number;
  readonly rounds: number;
  /** ms per round, per variant. */
  readonly samples: Readonly<Record<FanoutVariant, number[]>>;
  /** Heap after GC per idle subscribed connection, bytes, per server. */
  readonly heapPerConnection: Readonly<Record<'guarded' | 'unguarded', number>>;
}

const VARIANTS = ['unguarded', 'guarded', 'guarded-anonymous'] as const;
type FanoutVariant = (typeof VARIANTS)[number];
const QUERY = 'subscription { postAdded { id title body author { id name } } }';

interface Group {
  readonly child: BenchChild;
  readonly server: FanoutListening;
  readonly clients: WebSocket[];
  received: number;
}

/** Runs the scenario: 3 servers × N sockets held by this process. */
export async function runFanoutScenario(quick: boolean): Promise<FanoutResults> {
  const subscribers = quick ? 200 : 1_000;
  const rounds = quick ? 5 : 15;
  const groups = {} as Record<FanoutVariant, Group>;
  const heapPerConnection = { guarded: 0, unguarded: 0 };
  try {
    for (const variant of VARIANTS) {
      const child = startChild('subscriptions/server-child.ts', [variant === 'unguarded' ? 'unguarded' : 'guarded'], { nodeFlags: ['--expose-gc'], env: { NODE_ENV: 'production' } });
      const server = await child.next<FanoutListening & { [key: string]: unknown }>('listening');
      const heap = async () => {
        child.send({ type: 'heap' });
        return (await child.next<{ type: 'heap'; heapUsed: number }>('heap')).heapUsed;
      };
      const before = await heap();
      const group: Group = { child, server, clients: [], received: 0 };
      const params = variant === 'guarded-anonymous' ? undefined : { Authorization: `Bearer ${server.reader}` };
      await Promise.all(Array.from({ length: subscribers }, () => subscribe(server.url, params, group)));
      // Subscribed, then idle: what one more such connection holds on the server.
      await new Promise((resolve) => setTimeout(resolve, 500));
      if (variant !== 'guarded-anonymous') heapPerConnection[variant] = Math.round(((await heap()) - before) / subscribers);
      groups[variant] = group;
    }
    const samples = { unguarded: [] as number[], guarded: [] as number[], 'guarded-anonymous': [] as number[] };
    for (let round = -1; round < rounds; round++) {
      for (const variant of shuffled(VARIANTS)) {
        const ms = await publishAndWait(groups[variant], subscribers);
        if (round >= 0) samples[variant].push(ms); // round -1 warms every path
      }
    }
    return { subscribers, rounds, samples, heapPerConnection };
  } finally {
    for (const group of Object.values(groups)) for (const socket of group.clients) socket.terminate();
    for (const group of Object.values(groups)) await group.child.stop();
  }
}

/**
 * One subscriber speaking graphql-transport-ws by hand: the protocol's three messages, then a
 * count of `next` messages without parsing them, so that the clients (all in this process)
 * cost as little as possible beside the servers measured.
 */
function subscribe(url: string, params: Record<string, string> | undefined, group: Group): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url.replace(/^http/, 'ws'), 'graphql-transport-ws');
    group.clients.push(socket);
    socket.once('error', reject);
    socket.once('close', (code) => reject(new Error(`socket closed ${code}`)));
    socket.once('open', () => socket.send(JSON.stringify({ type: 'connection_init', ...(params ? { payload: params } : {}) })));
    socket.on('message', (data: Buffer) => {
      const text = data.toString();
      if (text.startsWith('{"id"') || text.includes('"type":"next"')) {
        group.received++;
      } else if (text.includes('"connection_ack"')) {
        socket.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query: QUERY } }));
        resolve();
      }
    });
  });
}

/** ms from the createPost request until each of `count` subscribers has received the event. */
async function publishAndWait(group: Group, count: number): Promise<number> {
  const target = group.received + count;
  const start = performance.now();
  const res = await fetch(group.server.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${group.server.writer}` },
    body: JSON.stringify({ query: 'mutation { createPost(title: "fan-out", body: "b") { id } }' }),
  });
  if (!res.ok) throw new Error(`createPost answered ${res.status}`);
  const deadline = start + 30_000;
  while (group.received < target) {
    if (performance.now() > deadline) throw new Error(`only ${group.received - (target - count)} of ${count} subscribers got the event`);
    await new Promise((resolve) => setImmediate(resolve));
  }
  return performance.now() - start;
}

/** The markdown table of a run. */
export function fanoutTable(r: FanoutResults): string {
  const row = (variant: FanoutVariant, ratio: Summary) =>
    `| ${variant} | ${formatSummary(summarize(r.samples[variant]), 1)} | ${formatSummary(ratio)} |`;
  return [
    `| variant (${r.subscribers} subscribers, ${r.rounds} rounds) | ms until the last subscriber has the event | × unguarded |`,
    '| --- | --- | --- |',
    row('unguarded', pairedRatio(r.samples.unguarded, r.samples.unguarded)),
    row('guarded', pairedRatio(r.samples.guarded, r.samples.unguarded)),
    row('guarded-anonymous', pairedRatio(r.samples['guarded-anonymous'], r.samples.unguarded)),
    '',
    `Heap per idle subscribed connection (server, after GC): guarded ${(r.heapPerConnection.guarded / 1024).toFixed(1)} KiB, unguarded ${(r.heapPerConnection.unguarded / 1024).toFixed(1)} KiB.`,
  ].join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const results = await runFanoutScenario(process.argv.includes('--quick'));
  process.stdout.write(`${fanoutTable(results)}\n`);
}
