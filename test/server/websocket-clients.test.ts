/**
 * The clients users already have work unchanged against the server's graphql-ws transport:
 * Apollo Client 4's GraphQLWsLink and urql's subscriptionExchange, each over graphql-ws's own
 * client, with the token in connectionParams.
 */
import { ApolloClient, gql, InMemoryCache } from '@apollo/client';
import { GraphQLWsLink } from '@apollo/client/link/subscriptions';
import { Client as UrqlClient, subscriptionExchange } from '@urql/core';
import { createClient } from 'graphql-ws';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { loadConfig } from '../../src/config/load-config.js';
import { exampleServerSchema } from '../../src/example/build-example-schema.js';
import { createServer, type GatepassServer } from '../../src/server/app.js';
import { graphql } from '../helpers/http.js';
import { startTestIssuer, TEST_AUDIENCE, type TestIssuer } from '../helpers/test-issuer.js';
import { wsUrl } from '../helpers/ws-client.js';

let issuer: TestIssuer;
let server: GatepassServer;
let url: string;

beforeAll(async () => {
  issuer = await startTestIssuer();
  server = await createServer(loadConfig({ AUTH_ISSUER: issuer.issuer, AUTH_AUDIENCE: TEST_AUDIENCE, PORT: '0', LOG_LEVEL: 'silent' }), { schema: exampleServerSchema });
  url = await server.listen();
});

afterAll(async () => {
  await server?.close();
  await issuer?.close();
});

const wsClient = async () => createClient({
  url: wsUrl(url),
  webSocketImpl: WebSocket,
  // A function: each (re)connection reads the token of the moment.
  connectionParams: async () => ({ Authorization: `Bearer ${await issuer.mint({ sub: 'u1', scope: 'read:user' })}` }),
});
/** Publishes every 200 ms until `received()` (bounded: 25 posts): no guess at when the stream opened. */
const publishUntil = (received: () => boolean) => {
  let posts = 0;
  const timer = setInterval(() => {
    if (received() || ++posts > 25) return clearInterval(timer);
    void issuer.mint({ sub: 'u3', scope: 'write:post' }).then((token) => graphql(url, 'mutation { createPost(title: "hi", body: "b") { id } }', { token }));
  }, 200);
};

it("Apollo Client's GraphQLWsLink receives events with the guarded author resolved for its token", async () => {
  const ws = await wsClient();
  const client = new ApolloClient({ link: new GraphQLWsLink(ws), cache: new InMemoryCache() });
  let got = false;
  const first = await new Promise((resolve, reject) => {
    const subscription = client.subscribe({ query: gql`subscription { postAdded { id title author { id name } } }` }).subscribe({
      next: (value) => {
        got = true;
        subscription.unsubscribe();
        resolve(value);
      },
      error: reject,
    });
    publishUntil(() => got);
  });
  expect(first).toMatchObject({ data: { postAdded: { __typename: 'Post', title: 'hi', author: { __typename: 'User', id: 'u3', name: 'carol' } } } });
  client.stop();
  await ws.dispose();
});

it("urql's subscriptionExchange receives the same events", async () => {
  const ws = await wsClient();
  const client = new UrqlClient({
    url,
    exchanges: [subscriptionExchange({
      forwardSubscription: (request) => ({
        subscribe: (sink) => ({ unsubscribe: ws.subscribe({ ...request, query: request.query ?? '' }, sink) }),
      }),
    })],
  });
  let got = false;
  const first = await new Promise((resolve) => {
    const { unsubscribe } = client.subscription('subscription { postAdded { title author { name } } }', {}).subscribe((result) => {
      got = true;
      unsubscribe();
      resolve({ data: result.data, error: result.error });
    });
    publishUntil(() => got);
  });
  expect(first).toEqual({ data: { postAdded: { title: 'hi', author: { name: 'carol' } } }, error: undefined });
  await ws.dispose();
});
