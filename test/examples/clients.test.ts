import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gql } from '@apollo/client';
import { CombinedGraphQLErrors } from '@apollo/client/errors';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApolloClient } from '../../examples/clients/apollo-client.js';
import { queryWithGraphqlRequest } from '../../examples/clients/graphql-request.js';
import { createUrqlClient } from '../../examples/clients/urql.js';
import { loadConfig } from '../../src/config/load-config.js';
import { createServer, type GatepassServer } from '../../src/server/app.js';
import { exampleServerSchema } from '../../src/example/build-example-schema.js';

// The README's client snippets (examples/clients/, included verbatim) against the reference
// server: a field-level UNAUTHENTICATED (200, a `path`) never looks like a refused token, and a
// refused token (401, WWW-Authenticate, no `path`) always reaches the client's handler.
const QUERY = '{ users { name } }';
const FIELD_LEVEL = {
  data: { users: null },
  errors: [{ message: 'authentication required', path: ['users'], extensions: { code: 'UNAUTHENTICATED' } }],
};
/** The whole result as JSON, without `locations`: each client prints the query its own way. */
const plain = (value: unknown) => JSON.parse(JSON.stringify(value, (key, v: unknown) => (key === 'locations' ? undefined : v))) as unknown;
const CHALLENGE = /^Bearer error="invalid_token", error_description="signature is invalid", resource_metadata="http:\/\/127\.0\.0\.1:\d+\/\.well-known\/oauth-protected-resource"$/;
const REQUEST_LEVEL_ERROR = { message: 'signature is invalid', extensions: { code: 'UNAUTHENTICATED' } };

let keyDir: string;
let server: GatepassServer;
let url: string;
let badToken: string;
beforeAll(async () => {
  keyDir = await mkdtemp(join(tmpdir(), 'gatepass-clients-'));
  server = await createServer(loadConfig({ PORT: '0', LOG_LEVEL: 'silent', GATEPASS_DEV_KEY_DIR: keyDir }), { schema: exampleServerSchema });
  url = await server.listen();
  const token = await server.devIssuer!.mint({ sub: 'u1', scope: 'read:user' });
  badToken = `${token.slice(0, -6)}AAAAAA`;
});
afterAll(async () => {
  await server?.close();
  await rm(keyDir, { recursive: true, force: true });
});

it.each(['apollo-client.ts', 'urql.ts', 'graphql-request.ts'])('the README shows examples/clients/%s as it is', async (file) => {
  const [readme, code] = await Promise.all([readFile(new URL('../../README.md', import.meta.url), 'utf8'), readFile(new URL(`../../examples/clients/${file}`, import.meta.url), 'utf8')]);
  expect(readme).toContain(`\`\`\`ts\n// examples/clients/${file}\n${code}\`\`\``);
});

describe.each<[string, (token: string | undefined, refused: (challenge: string) => void) => Promise<{ result?: unknown; error?: unknown }>]>([
  [
    'Apollo Client',
    async (token, refused) => {
      const client = createApolloClient(url, () => token, refused);
      const { data, error } = await client.query({ query: gql(QUERY), errorPolicy: 'all' });
      return CombinedGraphQLErrors.is(error) ? { result: { data, errors: error.errors }, error: error.data === undefined ? error.errors : undefined } : { error };
    },
  ],
  [
    'urql',
    async (token, refused) => {
      const result = await createUrqlClient(url, () => token, refused).query(QUERY, {}).toPromise();
      const errors = result.error?.graphQLErrors.map(({ message, locations, path, extensions }) => ({ message, locations, path, extensions }));
      return { result: { data: result.data ?? undefined, errors }, error: result.error?.response?.status === 401 ? errors : undefined };
    },
  ],
  [
    'graphql-request',
    async (token, refused) => {
      try {
        return { result: await queryWithGraphqlRequest(url, token, QUERY, refused) };
      } catch (error) {
        return { error: (error as { response: { errors: unknown } }).response.errors };
      }
    },
  ],
])('%s', (_client, run) => {
  it('no token, guarded field: data with a field-level UNAUTHENTICATED, not a refused token', async () => {
    const challenges: string[] = [];
    const { result } = await run(undefined, (challenge) => challenges.push(challenge));
    expect(plain(result)).toEqual(FIELD_LEVEL);
    expect(challenges).toEqual([]);
  });

  it('a refused token: the handler gets the 401 challenge; the error has no path', async () => {
    const challenges: string[] = [];
    const { error } = await run(badToken, (challenge) => challenges.push(challenge));
    expect(challenges).toEqual([expect.stringMatching(CHALLENGE)]);
    expect(plain(error)).toEqual([REQUEST_LEVEL_ERROR]);
  });
});
