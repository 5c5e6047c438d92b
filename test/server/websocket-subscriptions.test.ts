/**
 * Subscriptions over the real transport: the root field's @auth runs before any stream exists
 * (the resolver's subscribe is never called for a denied subscriber), each event is resolved
 * through the field guards under the subscriber's principal, and the enforcement modes behave
 * as over HTTP.
 */
import type { PubSubEngine } from 'graphql-subscriptions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EnforcementMode } from '../../src/config/config.js';
import { loadConfig } from '../../src/config/load-config.js';
import { exampleServerSchema } from '../../src/example/build-example-schema.js';
import { createServer, type GatepassServer } from '../../src/server/app.js';
import { graphql } from '../helpers/http.js';
import { startTestIssuer, TEST_AUDIENCE, type TestIssuer } from '../helpers/test-issuer.js';
import { connectWs } from '../helpers/ws-client.js';

let issuer: TestIssuer;
const servers: Record<EnforcementMode, { server: GatepassServer; url: string; opened: string[] }> = {} as never;

/** The example schema whose pub/sub records each stream opened (one per resolver `subscribe`). */
const counting = (events: PubSubEngine, opened: string[]): PubSubEngine =>
  Object.assign(Object.create(events) as PubSubEngine, {
    asyncIterableIterator: (trigger: string | readonly string[]) => {
      opened.push(String(trigger));
      return events.asyncIterableIterator(trigger);
    },
  });

beforeAll(async () => {
  issuer = await startTestIssuer();
  for (const mode of ['field', 'operation', 'dry-run'] as const) {
    const opened: string[] = [];
    const server = await createServer(
      loadConfig({ AUTH_ISSUER: issuer.issuer, AUTH_AUDIENCE: TEST_AUDIENCE, PORT: '0', LOG_LEVEL: 'silent', AUTH_ENFORCEMENT: mode }),
      { schema: (deps) => exampleServerSchema({ ...deps, events: counting(deps.events, opened) }) },
    );
    servers[mode] = { server, url: await server.listen(), opened };
  }
});

afterAll(async () => {
  for (const { server } of Object.values(servers)) await server.close();
  await issuer?.close();
});

const bearer = async (claims: Record<string, unknown>) => ({ Authorization: `Bearer ${await issuer.mint(claims)}` });
const publish = async (url: string, title: string) => {
  const res = await graphql(url, 'mutation($t: String!) { createPost(title: $t, body: "b") { id } }', { token: await issuer.mint({ sub: 'u2', scope: 'write:post' }), variables: { t: title } });
  expect(res.json.errors).toBeUndefined();
};
/** Waits (bounded) until the server has opened `count` more streams than `before`. */
const streamsOpened = async (opened: string[], before: number, count = 1) => {
  const deadline = performance.now() + 10_000;
  while (opened.length < before + count) {
    if (performance.now() > deadline) throw new Error('the server did not open the stream');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
};
const POST_ADDED = 'subscription { postAdded { title author { name } } }';
const AUTHOR_ERROR = (code: string) => ({ message: code === 'UNAUTHENTICATED' ? 'authentication required' : 'not authorized', locations: [{ line: 1, column: 34 }], path: ['postAdded', 'author'], extensions: { code, ...(code === 'FORBIDDEN' ? { requirement: { allOf: [{ scopes: [['read:user']] }] } } : {}) } });

describe('field enforcement: every event through the field guards', () => {
  it.each([
    ['anonymous', undefined, { data: { postAdded: { title: 'T', author: null } }, errors: [AUTHOR_ERROR('UNAUTHENTICATED')] }],
    ['without read:user', { sub: 'u1', scope: '' }, { data: { postAdded: { title: 'T', author: null } }, errors: [AUTHOR_ERROR('FORBIDDEN')] }],
    ['with read:user', { sub: 'u1', scope: 'read:user' }, { data: { postAdded: { title: 'T', author: { name: 'bob' } } } }],
  ])('%s subscriber', async (_name, claims, expected) => {
    const { url, opened } = servers.field;
    const ws = connectWs(url, claims ? await bearer(claims) : undefined);
    await ws.connected;
    const before = opened.length;
    const sub = ws.subscribe(POST_ADDED);
    // A post published before the server holds the stream would be missed.
    await streamsOpened(opened, before);
    await publish(url, 'T');
    await publish(url, 'T');
    // Each event is judged on its own: the second carries its own error, not the first's again.
    expect(await sub.next(2)).toEqual([expected, expected]);
    await ws.dispose();
  });

  it('a denied subscriber gets the error and no stream: the resolver subscribe never runs', async () => {
    const { url, opened } = servers.field;
    opened.length = 0;
    const ws = connectWs(url, await bearer({ sub: 'u1', scope: 'read:user' }));
    const sub = ws.subscribe('subscription { auditEntryAdded { action } }');
    expect(await sub.done).toEqual({ kind: 'complete' });
    // graphql-js: a source stream that could not be created is a result with errors only.
    expect(sub.events).toEqual([{
      errors: [{ message: 'not authorized', locations: [{ line: 1, column: 16 }], path: ['auditEntryAdded'], extensions: { code: 'FORBIDDEN', requirement: { allOf: [{ roles: [['admin']] }] } } }],
    }]);
    expect(opened).toEqual([]);
    await ws.dispose();
  });

  it('an admin receives audit entries', async () => {
    const { url, opened } = servers.field;
    const ws = connectWs(url, await bearer({ sub: 'root', scope: '', roles: ['admin'] }));
    const before = opened.length;
    const sub = ws.subscribe('subscription { auditEntryAdded { action actor } }');
    await streamsOpened(opened, before);
    await publish(url, 'audited');
    const [event] = await sub.next(1);
    expect(event).toEqual({ data: { auditEntryAdded: { action: expect.stringMatching(/^createPost p\d+$/), actor: 'u2' } } });
    await ws.dispose();
  });
});

describe('operation enforcement: the subscribe message is refused before anything runs', () => {
  it('anonymous subscriber selecting the guarded author: errors, no stream, no subscribe call', async () => {
    const { url, opened } = servers.operation;
    opened.length = 0;
    const ws = connectWs(url);
    const sub = ws.subscribe(POST_ADDED);
    const done = await sub.done;
    expect(done).toEqual({ kind: 'error', error: [AUTHOR_ERROR('UNAUTHENTICATED')] });
    expect(sub.events).toEqual([]);
    expect(opened).toEqual([]);
    await ws.dispose();
  });

  it('a subscriber allowed everything it selects gets its events', async () => {
    const { url, opened } = servers.operation;
    opened.length = 0;
    const ws = connectWs(url, await bearer({ sub: 'u1', scope: 'read:user' }));
    const sub = ws.subscribe(POST_ADDED);
    await streamsOpened(opened, 0);
    await publish(url, 'T');
    expect(await sub.next(1)).toEqual([{ data: { postAdded: { title: 'T', author: { name: 'bob' } } } }]);
    expect(opened).toEqual(['gatepass:example:postAdded']);
    await ws.dispose();
  });
});

describe('dry-run enforcement: nothing denied, each event reports its own would-be denials', () => {
  it('anonymous subscriber', async () => {
    const { url, opened } = servers['dry-run'];
    const ws = connectWs(url);
    const before = opened.length;
    const sub = ws.subscribe(POST_ADDED);
    await streamsOpened(opened, before);
    await publish(url, 'T');
    await publish(url, 'T');
    const event = { data: { postAdded: { title: 'T', author: { name: 'bob' } } }, extensions: { authDryRun: [{ path: ['postAdded', 'author'], code: 'UNAUTHENTICATED' }] } };
    expect(await sub.next(2)).toEqual([event, event]);
    await ws.dispose();
  });
});
