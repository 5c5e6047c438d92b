import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dpopKey, type DpopKey } from '../helpers/dpop.js';
import { startTestIssuer, TEST_AUDIENCE, type TestIssuer } from '../helpers/test-issuer.js';

// `npm run token -- inspect <token> --dpop-proof <proof>`: the RFC 9449 §4.3 checks, a line each.
const CLI = new URL('../../src/cli/token.ts', import.meta.url).pathname;
const URL_ = 'https://api.example.com/graphql';

function run(args: string[], env: Record<string, string>): Promise<{ code: number | null; stdout: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', CLI, ...args], { env: { PATH: process.env.PATH ?? '', ...env } });
  let stdout = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stdin.end();
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, stdout })));
}
const marks = (stdout: string) => Object.fromEntries(stdout.split('\n').filter((l) => l.slice(2).startsWith('dpop ') || l.slice(2).startsWith('sender')).map((l) => [l.slice(2).split(/ {2,}/)[0]!.trim(), l[0]]));

describe('inspect --dpop-proof', () => {
  let issuer: TestIssuer;
  let key: DpopKey;
  let env: Record<string, string>;
  beforeAll(async () => {
    issuer = await startTestIssuer();
    key = await dpopKey();
    env = { AUTH_ISSUER: issuer.issuer, AUTH_AUDIENCE: TEST_AUDIENCE, AUTH_DPOP: 'allowed', AUTH_PUBLIC_URL: 'https://api.example.com' };
  });
  afterAll(async () => issuer?.close());

  it('accepts a DPoP-bound token with a good proof, every line ✓ but replay (•)', async () => {
    const token = await issuer.mint({ cnf: { jkt: key.jkt } });
    const res = await run(['inspect', token, '--dpop-proof', await key.proof('POST', URL_, token), '--method', 'POST', '--url', URL_], env);
    expect(res.code).toBe(0);
    expect(marks(res.stdout)).toEqual({
      'sender constraint': '•', 'dpop format': '✓', 'dpop type': '✓', 'dpop algorithm': '✓', 'dpop key': '✓', 'dpop signature': '✓', 'dpop claims': '✓',
      'dpop method': '✓', 'dpop url': '✓', 'dpop age': '✓', 'dpop token hash': '✓', 'dpop binding': '✓', 'dpop replay, nonce': '•',
    });
  });

  it('names the failing lines of a proof for another method and token, and refuses', async () => {
    const token = await issuer.mint({ cnf: { jkt: key.jkt } });
    const res = await run(['inspect', token, '--dpop-proof', await key.proof('GET', URL_, 'another-token'), '--method', 'POST', '--url', URL_], env);
    expect(res.code).toBe(1);
    expect(marks(res.stdout)).toMatchObject({ 'dpop method': '✗', 'dpop token hash': '✗', 'dpop signature': '✓', 'dpop binding': '✓' });
    expect(res.stdout).toContain('✗ REFUSED: token is not bound to the proof key');
  });
});
