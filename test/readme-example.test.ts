import { spawn } from 'node:child_process';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { graphql } from './helpers/http.js';
import { startTestIssuer, TEST_AUDIENCE, type TestIssuer } from './helpers/test-issuer.js';

// The README's library example is run as written (only its `from 'gatepass'` pointed at src/),
// so the documentation cannot drift from the code.
const README = new URL('../README.md', import.meta.url);
const EXAMPLE = new URL('./.readme-example.ts', import.meta.url);
const INDEX = new URL('../src/index.ts', import.meta.url).pathname;

let issuer: TestIssuer;
beforeAll(async () => {
  issuer = await startTestIssuer();
});
afterAll(async () => {
  await issuer?.close();
  await rm(EXAMPLE, { force: true });
});

it('the README library example serves a guarded schema', async () => {
  const readme = await readFile(README, 'utf8');
  const section = readme.slice(readme.indexOf('## Use it in your own Apollo Server'));
  const code = /```ts\n([\s\S]*?)```/.exec(section)?.[1];
  expect(code, 'README has a ts example under "Use it in your own Apollo Server"').toBeDefined();
  await writeFile(EXAMPLE, code!.replaceAll("from 'gatepass'", `from '${INDEX}'`));

  const child = spawn(process.execPath, ['--import', 'tsx', EXAMPLE.pathname], {
    env: { PATH: process.env.PATH ?? '', AUTH_ISSUER: issuer.issuer, AUTH_AUDIENCE: TEST_AUDIENCE, PORT: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  try {
    const deadline = Date.now() + 15_000;
    let url: string | undefined;
    while (!url && Date.now() < deadline) {
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
    expect(invalid.status).toBe(401);
  } finally {
    child.kill('SIGTERM');
  }
});
