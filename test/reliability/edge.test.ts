import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestIssuer, type TestIssuer } from '../helpers/test-issuer.js';
import { startTestRedis, type TestRedis } from '../fleet/redis-server.js';
import { handmadeJws } from '../token/fixtures.js';
import { call, fleetEnv, query, report, startInstance, stopAll, type Instance } from './harness.js';

// Hostile inputs at the HTTP edge of a real fleet member: each gets its RFC 6750 answer (or
// Node's own 431 for a header block over its 16 KiB limit: decided, the request never reaches
// gatepass), quickly, and the process stays healthy.
let redis: TestRedis;
let issuer: TestIssuer;
let api: Instance;

beforeAll(async () => {
  [redis, issuer] = await Promise.all([startTestRedis(), startTestIssuer()]);
  api = await startInstance('edge', fleetEnv(issuer, redis.url));
});
afterAll(async () => {
  await stopAll(api ? [api] : []);
  await Promise.all([redis?.close(), issuer?.close()]);
});

/** Sends raw bytes and returns the status line's code (0 when the server closed without one). */
function rawStatus(port: number, bytes: Buffer): Promise<number> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let data = '';
    socket.on('data', (chunk) => (data += chunk.toString('latin1')));
    socket.on('error', () => undefined); // the server may close while we still write
    socket.on('close', () => resolve(Number(/^HTTP\/1\.1 (\d{3})/.exec(data)?.[1] ?? 0)));
    socket.end(bytes);
  });
}

const request = (headers: string[], body = '{"query":"{ users { name } }"}'): Buffer =>
  Buffer.concat([
    Buffer.from(`POST /graphql HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n`, 'latin1'),
    ...headers.map((h) => Buffer.concat([Buffer.from(h, 'latin1'), Buffer.from('\r\n')])),
    Buffer.from(`\r\n${body}`),
  ]);

describe('hostile inputs at the HTTP edge', () => {
  it('answers each with its decided status, quickly, and stays healthy', async () => {
    const port = Number(new URL(api.base).port);
    const nested = (depth: number) => JSON.parse('{"n":'.repeat(depth) + '1' + '}'.repeat(depth)) as unknown;
    const now = Math.floor(Date.now() / 1000);
    const bearerOf = async (token: string) => (await call(api.graphql, { headers: [['content-type', 'application/json'], ['authorization', `Bearer ${token}`]], body: '{"query":"{ users { name } }"}' })).status;
    const cases: Array<[string, () => Promise<number>, number]> = [
      ['1 MB Authorization header (Node: 431)', () => rawStatus(port, request([`authorization: Bearer ${'a'.repeat(1024 * 1024)}`])), 431],
      ['10 000 one-character segments (20 KB header: 431)', () => bearerOf(Array.from({ length: 10_000 }, () => 'a').join('.')), 431],
      ['10 000 empty segments (not a JWS: 401)', () => bearerOf('.'.repeat(9_999)), 401],
      ['a 16 000-character token (under the header limit: 401)', () => bearerOf(`${'a'.repeat(8_000)}.${'b'.repeat(7_998)}`), 401],
      ['signed, claims nested 1 500 deep (accepted)', async () => bearerOf(await issuer.mint({ scope: 'read:user', deep: nested(1_500) })), 200],
      ['unsigned, claims nested 2 000 deep (401)', async () => bearerOf(handmadeJws({ alg: 'RS256', kid: issuer.currentKey().kid }, { iss: issuer.issuer, deep: nested(2_000) }, 'c2ln')), 401],
      ['signed, an 8 KB claim (accepted)', async () => bearerOf(await issuer.mint({ scope: 'read:user', huge: 'x'.repeat(8_000) })), 200],
      ['signed, a 40 KB claim (header over 16 KiB: 431)', async () => rawStatus(port, request([`authorization: Bearer ${await issuer.mint({ huge: 'x'.repeat(40_000) })}`])), 431],
      ['non-UTF-8 bytes in the token (400)', () => rawStatus(port, Buffer.concat([request([]).subarray(0, 0), Buffer.from('POST /graphql HTTP/1.1\r\nhost: x\r\ncontent-length: 0\r\nconnection: close\r\nauthorization: Bearer '), Buffer.from([0xff, 0xfe, 0xc3, 0x28, 0x80]), Buffer.from('\r\n\r\n')])), 400],
      ['non-UTF-8 bytes in the body (400, not 500)', () => rawStatus(port, Buffer.concat([Buffer.from('POST /graphql HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: 4\r\nconnection: close\r\n\r\n'), Buffer.from([0x7b, 0xff, 0xfe, 0x7d])])), 400],
      ['query-string token (400)', async () => (await call(`${api.graphql}?access_token=abc`, { headers: [['content-type', 'application/json']], body: '{"query":"{ posts { id } }"}' })).status, 400],
      ['two Authorization headers (400)', async () => (await call(api.graphql, { headers: [['content-type', 'application/json'], ['authorization', 'Bearer a'], ['authorization', 'Bearer b']], body: '{"query":"{ posts { id } }"}' })).status, 400],
      ['header and query-string token (400)', async () => (await call(`${api.graphql}?access_token=x`, { headers: [['content-type', 'application/json'], ['authorization', `Bearer ${await issuer.mint({ scope: 'read:user' })}`]], body: '{"query":"{ users { name } }"}' })).status, 400],
      ['expired token (401)', async () => bearerOf(await issuer.mint({ iat: now - 1_000, exp: now - 600 })), 401],
    ];
    const timings: Record<string, number> = {};
    for (const [name, send, expected] of cases) {
      const started = performance.now();
      expect([name, await send()]).toEqual([name, expected]);
      timings[name] = Math.round(performance.now() - started);
      // Healthy after each: liveness, and a real request still served.
      expect((await call(`${api.base}/healthz`, { method: 'GET' })).status).toBe(200);
    }
    expect((await query(api, '{ users { name } }', await issuer.mint({ scope: 'read:user' }))).status).toBe(200);
    report('hostile-inputs', { slowestMs: Math.max(...Object.values(timings)), timings });
    // A hang detector, not a performance target: every answer came in well under the 5 s network timeout.
    expect(Math.max(...Object.values(timings))).toBeLessThan(5_000);
  });
});
