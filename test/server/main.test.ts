import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphql } from '../helpers/http.js';
import { startTestIssuer, TEST_AUDIENCE, type TestIssuer } from '../helpers/test-issuer.js';
import { connectWs, type TestWsClient } from '../helpers/ws-client.js';

// `npm start` as a real process: what it refuses to start with, and how it serves and stops.
const MAIN = new URL('../../src/server/main.ts', import.meta.url).pathname;
// `npm run subgraph`: the same process rules through run-server.ts.
const SUBGRAPH_MAIN = new URL('../../src/server/subgraph-main.ts', import.meta.url).pathname;

interface Started {
  readonly exit: Promise<number | null>;
  readonly stdout: () => string;
  readonly stderr: () => string;
  readonly kill: (signal: NodeJS.Signals) => void;
}

function start(env: Record<string, string>, entry = MAIN): Started {
  const child = spawn(process.execPath, ['--import', 'tsx', entry], {
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
  return {
    exit: new Promise((resolve) => child.on('exit', (code) => resolve(code))),
    stdout: () => out,
    stderr: () => err,
    kill: (signal) => child.kill(signal),
  };
}

async function listeningUrl(started: Started, timeoutMs = 15_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const match = /"url":"(http:\/\/127\.0\.0\.1:\d+\/graphql)"/.exec(started.stdout());
    if (match) return match[1]!;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`server did not start:\n${started.stderr()}`);
}

describe('a misconfigured production start', () => {
  it.each<[string, Record<string, string>, string[]]>([
    ['issuer without audience', { AUTH_ISSUER: 'https://issuer.example' }, ['AUTH_AUDIENCE']],
    ['a malformed number', { AUTH_ISSUER: 'https://issuer.example', AUTH_AUDIENCE: 'api', AUTH_CLOCK_TOLERANCE: 'ten' }, ['AUTH_CLOCK_TOLERANCE']],
    ['several problems at once', { AUTH_ISSUER: 'http://issuer.example', PORT: '-1', AUTH_ALGORITHMS: 'HS256' }, ['AUTH_AUDIENCE', 'AUTH_ISSUER', 'PORT', 'AUTH_ALGORITHMS']],
    ['dev mode under NODE_ENV=production', { NODE_ENV: 'production' }, ['AUTH_ISSUER']],
  ])('%s exits non-zero naming each variable', async (_name, env, variables) => {
    const started = start(env);
    expect(await started.exit).not.toBe(0);
    for (const variable of variables) expect(started.stderr()).toContain(`${variable}:`);
    expect(started.stderr()).toContain('Fix:');
  });
});

describe('a production start', () => {
  let issuer: TestIssuer;
  beforeAll(async () => {
    issuer = await startTestIssuer();
  });
  afterAll(async () => issuer?.close());

  it.each([
    ['npm start', MAIN, '{ users { name } }', { users: [{ name: 'alice' }, { name: 'bob' }, { name: 'carol' }] }],
    ['npm run subgraph', SUBGRAPH_MAIN, '{ me { name } }', { me: { name: 'alice' } }],
  ])('%s serves verified requests and stops with exit 0 on SIGTERM', async (_name, entry, query, data) => {
    const started = start({ AUTH_ISSUER: issuer.issuer, AUTH_AUDIENCE: TEST_AUDIENCE, PORT: '0' }, entry);
    try {
      const url = await listeningUrl(started);
      const res = await graphql(url, query, { token: await issuer.mint({ sub: 'u1', scope: 'read:user' }) });
      expect(res.json).toEqual({ data });
    } finally {
      started.kill('SIGTERM');
    }
    expect(await started.exit).toBe(0);
  });
});

describe('a start with open subscriptions', () => {
  let issuer: TestIssuer;
  beforeAll(async () => {
    issuer = await startTestIssuer();
  });
  afterAll(async () => issuer?.close());

  it('closes every socket with 1001 on SIGTERM and exits 0', async () => {
    const started = start({ AUTH_ISSUER: issuer.issuer, AUTH_AUDIENCE: TEST_AUDIENCE, PORT: '0' });
    let sockets: TestWsClient[] = [];
    try {
      const url = await listeningUrl(started);
      sockets = [connectWs(url), connectWs(url, { Authorization: `Bearer ${await issuer.mint({ scope: 'read:user' })}` })];
      await Promise.all(sockets.map((ws) => ws.connected));
      // An open stream too: shutdown must not wait for it to end by itself.
      sockets[1]!.subscribe('subscription { postAdded { title } }');
    } finally {
      started.kill('SIGTERM');
    }
    for (const ws of sockets) expect(await ws.closed).toMatchObject({ code: 1001, reason: 'server shutting down' });
    expect(await started.exit).toBe(0);
    await Promise.all(sockets.map((ws) => ws.dispose()));
  });
});

describe('a dev start', () => {
  let keyDir: string;
  beforeAll(async () => {
    keyDir = await mkdtemp(join(tmpdir(), 'gatepass-dev-'));
  });
  afterAll(async () => rm(keyDir, { recursive: true, force: true }));

  it('prints a banner whose curl token works, and accepts tokens from npm run token', async () => {
    const started = start({ PORT: '0', GATEPASS_DEV_KEY_DIR: keyDir });
    try {
      const url = await listeningUrl(started);
      expect(started.stderr()).toContain('DEV MODE');
      const bannerToken = /authorization: Bearer ([\w.-]+)/.exec(started.stderr())?.[1];
      expect(bannerToken).toBeDefined();
      const res = await graphql(url, '{ users { email } }', { token: bannerToken! });
      expect(res.json.data.users).toHaveLength(3);

      const minted = await runTokenCli(['--sub', 'u2', '--scope', 'read:user', '--role', 'moderator', '--ttl', '60'], keyDir);
      const viewer = await graphql(url, '{ viewer { subject roles } }', { token: minted });
      expect(viewer.json).toEqual({ data: { viewer: { subject: 'u2', roles: ['moderator'] } } });
    } finally {
      started.kill('SIGTERM');
    }
    expect(await started.exit).toBe(0);
  });
});

async function runTokenCli(args: string[], keyDir: string): Promise<string> {
  const cli = new URL('../../src/cli/token.ts', import.meta.url).pathname;
  const child = spawn(process.execPath, ['--import', 'tsx', cli, ...args], { env: { PATH: process.env.PATH ?? '', GATEPASS_DEV_KEY_DIR: keyDir } });
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  const code = await new Promise((resolve) => child.on('exit', resolve));
  expect(code).toBe(0);
  return out.trim();
}
