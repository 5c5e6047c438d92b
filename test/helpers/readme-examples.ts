import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { expect } from 'vitest';
import { graphql } from './http.js';
import type { TestIssuer } from './test-issuer.js';
import { TEST_AUDIENCE } from './test-issuer.js';

/** The README sections whose ```ts example is a whole server, run as written by the tests. */
export const README_EXAMPLES = [
  { section: '## Use it in your own Apollo Server', name: 'apollo' },
  { section: '## Use it with GraphQL Yoga', name: 'yoga' },
] as const;

/** The first ```ts block under a README heading. */
export async function readmeExample(section: string): Promise<string> {
  const readme = await readFile(new URL('../../README.md', import.meta.url), 'utf8');
  const start = readme.indexOf(section);
  expect(start, `README has a section "${section}"`).toBeGreaterThanOrEqual(0);
  const code = /```ts\n([\s\S]*?)```/.exec(readme.slice(start))?.[1];
  expect(code, `README has a ts example under "${section}"`).toBeDefined();
  return code!;
}

/**
 * Runs a README server example (`node <args>`) on port 0 against the test issuer, waits for its
 * "ready at <url>" line, and checks what the README promises: anonymous `secret` is null with
 * UNAUTHENTICATED, a `read:secret` token reads it, a token for another audience is a 401.
 */
export async function checkReadmeServer(nodeArgs: readonly string[], issuer: TestIssuer, cwd?: string): Promise<void> {
  const child = spawn(process.execPath, [...nodeArgs], {
    cwd,
    env: { PATH: process.env.PATH ?? '', AUTH_ISSUER: issuer.issuer, AUTH_AUDIENCE: TEST_AUDIENCE, PORT: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  try {
    const deadline = Date.now() + 15_000;
    let url: string | undefined;
    while (!url && Date.now() < deadline && child.exitCode === null) {
      url = /ready at (http:\/\/\S+)/.exec(output)?.[1];
      if (!url) await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(url, output).toBeDefined();
    const anonymous = await graphql(url!, '{ hello secret }');
    expect(anonymous.json.data).toEqual({ hello: 'world', secret: null });
    expect(anonymous.json.errors.map((e: any) => e.extensions.code)).toEqual(['UNAUTHENTICATED']);
    const allowed = await graphql(url!, '{ secret }', { token: await issuer.mint({ scope: 'read:secret' }) });
    expect(allowed.json).toEqual({ data: { secret: 'swordfish' } });
    const invalid = await graphql(url!, '{ hello }', { token: await issuer.mint({ aud: 'https://elsewhere.test' }) });
    // Apollo Server adds a stack trace to `extensions` unless NODE_ENV=production (its default).
    expect([invalid.status, invalid.headers['www-authenticate'], invalid.json.errors.map((e: any) => [e.message, e.extensions.code])]).toEqual([
      401, 'Bearer error="invalid_token", error_description="audience is not accepted"', [['audience is not accepted', 'UNAUTHENTICATED']],
    ]);
  } finally {
    child.kill('SIGTERM');
  }
}
