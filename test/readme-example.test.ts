import { rm, writeFile } from 'node:fs/promises';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { README_EXAMPLES, checkReadmeServer, readmeExample } from './helpers/readme-examples.js';
import { startTestIssuer, type TestIssuer } from './helpers/test-issuer.js';

// The README's library examples are run as written (only `from 'gatepass'` and
// `from 'gatepass/yoga'` pointed at src/), so the documentation cannot drift from the code.
// test/package/tarball.test.ts runs them again against the packed package.
const SOURCES = { gatepass: new URL('../src/index.ts', import.meta.url).pathname, 'gatepass/yoga': new URL('../src/yoga.ts', import.meta.url).pathname };

let issuer: TestIssuer;
const written: URL[] = [];
beforeAll(async () => {
  issuer = await startTestIssuer();
});
afterAll(async () => {
  await issuer?.close();
  await Promise.all(written.map((file) => rm(file, { force: true })));
});

it.each(README_EXAMPLES)('the README $name example serves a guarded schema', async ({ section, name }) => {
  const code = await readmeExample(section);
  expect(code).toMatch(/from 'gatepass(\/yoga)?'/);
  const example = new URL(`./.readme-example-${name}.ts`, import.meta.url);
  written.push(example);
  await writeFile(example, code.replaceAll("from 'gatepass'", `from '${SOURCES.gatepass}'`).replaceAll("from 'gatepass/yoga'", `from '${SOURCES['gatepass/yoga']}'`));
  await checkReadmeServer(['--import', 'tsx', example.pathname], issuer);
});
