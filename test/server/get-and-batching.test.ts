import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load-config.js';
import { createServer, type GatepassServer } from '../../src/server/app.js';
import { exampleServerSchema } from '../../src/example/build-example-schema.js';
import { send } from '../helpers/http.js';

// What the README's "Clients" section says about GET and batching, over HTTP: a GET query needs
// a header that forces a preflight (Apollo's CSRF prevention), mutations never run over GET, and
// the reference server leaves batching off.
let keyDir: string;
let server: GatepassServer;
let url: string;
beforeAll(async () => {
  keyDir = await mkdtemp(join(tmpdir(), 'gatepass-get-'));
  server = await createServer(loadConfig({ PORT: '0', LOG_LEVEL: 'silent', GATEPASS_DEV_KEY_DIR: keyDir }), { schema: exampleServerSchema });
  url = await server.listen();
});
afterAll(async () => {
  await server?.close();
  await rm(keyDir, { recursive: true, force: true });
});

const query = (text: string) => `?query=${encodeURIComponent(text)}`;
const TYPENAME = { data: { __typename: 'Query' } };

it.each<[string, string, ReadonlyArray<readonly [string, string]>, number, unknown]>([
  ['GET with apollo-require-preflight', query('{ __typename }'), [['apollo-require-preflight', 'true']], 200, TYPENAME],
  ['GET with x-apollo-operation-name', query('{ __typename }'), [['x-apollo-operation-name', 'Q']], 200, TYPENAME],
  ['GET with a JSON content type', query('{ __typename }'), [['content-type', 'application/json']], 200, TYPENAME],
  ['GET with a bearer token but no preflight header', query('{ __typename }'), [['authorization', 'Bearer abc']], 400, undefined],
  ['GET with no header (CSRF prevention)', query('{ __typename }'), [], 400, undefined],
  ['a mutation over GET', query('mutation { deletePost(id: "p1") }'), [['apollo-require-preflight', 'true']], 405, undefined],
])('%s → %i', async (_name, search, headers, status, body) => {
  const res = await send(`${url}${search}`, { method: 'GET', headers });
  expect(res.status).toBe(status);
  if (body) expect(res.json).toEqual(body);
  else expect(res.json.errors[0].extensions.code).toBe('BAD_REQUEST');
});

it('a batch (JSON array) is refused: batching is off', async () => {
  const res = await send(url, { headers: [['content-type', 'application/json']], body: JSON.stringify([{ query: '{ __typename }' }, { query: '{ __typename }' }]) });
  expect({ status: res.status, body: res.json }).toEqual({ status: 400, body: { errors: [{ message: 'Operation batching disabled.', extensions: { code: 'BAD_REQUEST' } }] } });
});
