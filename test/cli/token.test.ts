import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestIssuer, TEST_AUDIENCE, type TestIssuer } from '../helpers/test-issuer.js';

// `npm run token -- mint | inspect` as a developer runs it: a real process, real keys.
const CLI = new URL('../../src/cli/token.ts', import.meta.url).pathname;

function run(args: string[], env: Record<string, string>, stdin?: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', CLI, ...args], { env: { PATH: process.env.PATH ?? '', ...env } });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  child.stdin.end(stdin);
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, stdout, stderr })));
}

const line = (stdout: string, name: string) => stdout.split('\n').find((l) => l.slice(2).startsWith(name)) ?? '';

describe('dev mode', () => {
  let env: Record<string, string>;
  beforeAll(async () => {
    env = { GATEPASS_DEV_KEY_DIR: await mkdtemp(join(tmpdir(), 'gatepass-cli-')), AUTH_CLOCK_TOLERANCE: '0' };
  });
  afterAll(async () => rm(env.GATEPASS_DEV_KEY_DIR!, { recursive: true, force: true }));

  it('mints a token that inspect accepts, showing scopes and roles as the API reads them', async () => {
    const minted = await run(['--sub', 'u2', '--scope', 'read:user read:email', '--role', 'moderator', '--ttl', '120'], env);
    expect(minted.code).toBe(0);
    const token = minted.stdout.trim();
    const inspected = await run(['inspect', token], env);
    expect(inspected.code).toBe(0);
    for (const check of ['format', 'algorithm', 'signature', 'expiry', 'issuer', 'audience', 'token type', 'lifetime']) {
      expect(line(inspected.stdout, check)).toMatch(/^✓/);
    }
    expect(inspected.stdout).toContain('scopes:  read:user read:email');
    expect(inspected.stdout).toContain('roles:   moderator');
    expect(inspected.stdout).toContain('✓ ACCEPTED');
    expect(inspected.stdout).not.toContain(token);
  });

  it.each<[string, (token: string) => string, string]>([
    ['a tampered signature', (token) => `${token.slice(0, -6)}AAAAAA`, 'signature'],
    ['a token of another issuer’s shape', () => 'not-a-jwt', 'format'],
  ])('refuses %s with exit 1 and a ✗ line', async (_name, spoil, check) => {
    const token = (await run(['--ttl', '120'], env)).stdout.trim();
    const inspected = await run(['inspect'], env, spoil(token));
    expect(inspected.code).toBe(1);
    expect(line(inspected.stdout, check)).toMatch(/^✗/);
    expect(inspected.stdout).toContain('✗ REFUSED');
  });

  it('lists, with --schema, which fields the token may read and why the others not', async () => {
    const token = (await run(['--scope', 'read:user', '--role', 'moderator', '--ttl', '120'], env)).stdout.trim();
    const schema = new URL('../../schema/example.graphql', import.meta.url).pathname;
    const inspected = await run(['inspect', '--schema', schema], env, token);
    expect(inspected.code).toBe(0);
    const lines = inspected.stdout.split('\n').map((l) => l.trim());
    expect(lines).toContain('✓ User.name');
    expect(lines).toContain('✗ User.email  needs read:email AND read:user (FORBIDDEN)');
    expect(lines).toContain('✗ Query.auditLog  needs role admin (FORBIDDEN)');
    // Subscription fields too, read as the WebSocket transport's guards read them.
    expect(lines).toContain('✓ Subscription.postAdded');
    expect(lines).toContain('✗ Subscription.auditEntryAdded  needs role admin (FORBIDDEN)');
    expect(lines).not.toContain('✓ User.email');
  });

  it('shows an expired token as expired', async () => {
    const token = (await run(['--ttl', '1'], env)).stdout.trim();
    await new Promise((resolve) => setTimeout(resolve, 2_100));
    const inspected = await run(['inspect', token], env);
    expect(inspected.code).toBe(1);
    expect(line(inspected.stdout, 'expiry')).toMatch(/^✗ expiry\s+expired \d+s ago/);
    expect(inspected.stdout).toContain('✗ REFUSED: token expired');
  });

  it.each([['0'], ['abc'], ['999999']])('rejects --ttl %s with a clear message', async (ttl) => {
    const minted = await run(['--ttl', ttl], env);
    expect(minted.code).toBe(2);
    expect(minted.stderr).toContain('--ttl must be a whole number');
  });
});

describe('production configuration', () => {
  let issuer: TestIssuer;
  let env: Record<string, string>;
  beforeAll(async () => {
    issuer = await startTestIssuer();
    env = { AUTH_ISSUER: issuer.issuer, AUTH_AUDIENCE: TEST_AUDIENCE };
  });
  afterAll(async () => issuer?.close());

  it('checks a token against the AUTH_* environment, keys discovered from the issuer', async () => {
    const inspected = await run(['inspect', await issuer.mint({ scope: 'read:user' })], env);
    expect(inspected.code).toBe(0);
    expect(line(inspected.stdout, 'signature')).toMatch(/^✓/);
  });

  it('names the audience check when the audience is wrong', async () => {
    const inspected = await run(['inspect', await issuer.mint({ aud: 'https://other.test' })], env);
    expect(inspected.code).toBe(1);
    expect(line(inspected.stdout, 'audience')).toMatch(/^✗/);
    expect(line(inspected.stdout, 'signature')).toMatch(/^✓/);
  });

  it('refuses to mint outside dev mode', async () => {
    const minted = await run(['mint'], env);
    expect(minted.code).toBe(2);
    expect(minted.stderr).toContain('minting needs dev mode');
  });
});
