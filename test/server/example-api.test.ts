import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SERVER_KINDS, startExampleServer, type ExampleServer } from '../helpers/example-servers.js';
import { graphql } from '../helpers/http.js';
import { startTestIssuer, TEST_AUDIENCE, type TestIssuer } from '../helpers/test-issuer.js';

// The example API's rules, over real HTTP: one table, run on the reference (Apollo) server and
// on GraphQL Yoga with useGatepass, each on 127.0.0.1:0 in production mode, verifying against a
// real key set served on loopback.
let issuer: TestIssuer;

beforeAll(async () => {
  issuer = await startTestIssuer();
});

afterAll(async () => {
  await issuer?.close();
});

describe.each(SERVER_KINDS)('on %s', (kind) => {
  let server: ExampleServer;
  let url: string;
  beforeAll(async () => {
    server = await startExampleServer(kind, { AUTH_ISSUER: issuer.issuer, AUTH_AUDIENCE: TEST_AUDIENCE });
    url = server.url;
  });
  afterAll(async () => {
    await server?.close();
  });

  const token = (scope: string, roles: string[] = [], sub = 'u1') => issuer.mint({ sub, scope, ...(roles.length ? { roles } : {}) });
  const codes = (body: any) => (body.errors ?? []).map((e: any) => [e.path, e.extensions.code]);

  describe('anonymous clients', () => {
    it('read public fields', async () => {
      const res = await graphql(url, '{ posts { id title } }');
      expect(res.status).toBe(200);
      expect(res.json).toEqual({ data: { posts: [{ id: 'p1', title: 'Hello' }, { id: 'p2', title: 'Second' }] } });
    });

    it('get one UNAUTHENTICATED error for a guarded list, not one per item', async () => {
      const res = await graphql(url, '{ users { id } }');
      expect(res.status).toBe(200);
      // The whole result: no stack trace or other internals in the error.
      expect(res.json).toEqual({
        errors: [{ message: 'authentication required', locations: [{ line: 1, column: 3 }], path: ['users'], extensions: { code: 'UNAUTHENTICATED' } }],
        data: { users: null },
      });
    });
  });

  describe('a principal without read:user', () => {
    it('gets exactly one FORBIDDEN for users', async () => {
      const res = await graphql(url, '{ users { id } }', { token: await token('read:email') });
      expect(res.json).toEqual({
        errors: [
          {
            message: 'not authorized',
            locations: [{ line: 1, column: 3 }],
            path: ['users'],
            extensions: { code: 'FORBIDDEN', requirement: { allOf: [{ scopes: [['read:user']] }] } },
          },
        ],
        data: { users: null },
      });
    });

    it('sees every post author as null, and no user name anywhere', async () => {
      const res = await graphql(url, '{ posts { title author { name } } }', { token: await token('') });
      expect(res.json.data).toEqual({ posts: [{ title: 'Hello', author: null }, { title: 'Second', author: null }] });
      expect(codes(res.json)).toEqual([
        [['posts', 0, 'author'], 'FORBIDDEN'],
        [['posts', 1, 'author'], 'FORBIDDEN'],
      ]);
      expect(res.text).not.toMatch(/alice|bob|carol/);
    });

    it.each([
      ['user __typename', '{ user(id: "u1") { __typename } }', { user: null }],
      ['node', '{ node(id: "u1") { id } }', { node: null }],
    ])('learns nothing of a user through %s', async (_name, query, data) => {
      const res = await graphql(url, query, { token: await token('') });
      expect(res.json.data).toEqual(data);
      expect(res.text).not.toMatch(/alice|"u1"|User/);
    });

    it('finds the posts of a search but nothing of the users in it', async () => {
      const res = await graphql(url, '{ search(text: "e") { ... on User { name } ... on Post { title } } }', { token: await token('') });
      expect(res.text).not.toMatch(/alice|bob|carol/);
      expect(res.json.data.search.filter((item: unknown) => item !== null)).toEqual([{ title: 'Hello' }, { title: 'Second' }]);
      expect(res.json.errors.every((e: any) => e.extensions.code === 'FORBIDDEN')).toBe(true);
    });
  });

  describe('field scopes', () => {
    const query = '{ user(id: "u1") { name email phone handle } }';
    it.each([
      ['read:user only', 'read:user', { name: 'alice', email: null, phone: null, handle: null }, ['email', 'phone', 'handle']],
      ['read:email', 'read:user read:email', { name: 'alice', email: 'alice@example.com', phone: null, handle: '@alice' }, ['phone']],
      ['read:email and read:phone', 'read:user read:email read:phone', { name: 'alice', email: 'alice@example.com', phone: '+1-555-0100', handle: '@alice' }, []],
      ['read:phone alone is not enough for phone', 'read:user read:phone', { name: 'alice', email: null, phone: null, handle: null }, ['email', 'phone', 'handle']],
      ['read:handle opens handle only', 'read:user read:handle', { name: 'alice', email: null, phone: null, handle: '@alice' }, ['email', 'phone']],
    ])('%s', async (_name, scope, user, denied) => {
      const res = await graphql(url, query, { token: await token(scope) });
      expect(res.json.data).toEqual({ user });
      expect(codes(res.json)).toEqual(denied.map((field) => [['user', field], 'FORBIDDEN']));
    });
  });

  describe('admin and roles', () => {
    const everything = '{ users { email phone handle } auditLog { id } viewer { isAdmin } }';
    it.each([
      ['the admin role', '', ['admin']],
      ['the admin scope', 'admin', []],
    ])('%s reads every field, auditLog included', async (_name, scope, roles) => {
      const res = await graphql(url, everything, { token: await token(scope, roles) });
      expect(res.json.errors).toBeUndefined();
      expect(res.json.data.users).toHaveLength(3);
      expect(res.json.data.auditLog).toEqual(expect.any(Array));
      expect(res.json.data.viewer).toEqual({ isAdmin: true });
    });

    it('gives the moderator role alone FORBIDDEN on auditLog', async () => {
      const res = await graphql(url, '{ auditLog { id } }', { token: await token('', ['moderator']) });
      expect(res.json).toMatchObject({ data: { auditLog: null } });
      expect(codes(res.json)).toEqual([[['auditLog'], 'FORBIDDEN']]);
    });
  });

  describe('mutations', () => {
    const auditLog = async () => (await graphql(url, '{ auditLog { action actor } }', { token: await token('', ['admin']) })).json.data.auditLog;
    const postIds = async () => (await graphql(url, '{ posts { id } }')).json.data.posts.map((p: { id: string }) => p.id);

    it('createPost without write:post creates nothing and audits nothing', async () => {
      const before = await auditLog();
      const res = await graphql(url, 'mutation { createPost(title: "x", body: "y") { id } }', { token: await token('read:user') });
      expect(res.json.data).toBeNull();
      expect(codes(res.json)).toEqual([[['createPost'], 'FORBIDDEN']]);
      expect(await postIds()).toEqual(['p1', 'p2']);
      expect(await auditLog()).toEqual(before);
    });

    it('deletePost with write:post but no moderator role leaves the post', async () => {
      const res = await graphql(url, 'mutation { deletePost(id: "p2") }', { token: await token('write:post') });
      expect(res.json.data).toBeNull();
      expect(codes(res.json)).toEqual([[['deletePost'], 'FORBIDDEN']]);
      expect(await postIds()).toContain('p2');
    });

    it('createPost and deletePost with the right scope and role succeed and are audited', async () => {
      const writer = await token('write:post read:user', ['moderator'], 'u3');
      const created = await graphql(url, 'mutation { createPost(title: "New", body: "b") { id title author { id } } }', { token: writer });
      expect(created.json.errors).toBeUndefined();
      const id = created.json.data.createPost.id as string;
      const deleted = await graphql(url, 'mutation { deletePost(id: "p2") }', { token: writer });
      expect(deleted.json).toEqual({ data: { deletePost: true } });
      expect(await postIds()).toEqual(['p1', id]);
      expect(await auditLog()).toEqual(expect.arrayContaining([
        { action: `createPost ${id}`, actor: 'u3' },
        { action: 'deletePost p2', actor: 'u3' },
      ]));
    });
  });

  describe('revocation', () => {
    const admin = () => token('', ['admin'], 'ops');
    it('revokeToken refuses that token on the next request, and only that token', async () => {
      const victim = await issuer.mint({ sub: 'u2', scope: 'read:user', jti: 'jti-to-revoke' });
      const sibling = await issuer.mint({ sub: 'u2', scope: 'read:user', jti: 'jti-kept' });
      expect((await graphql(url, '{ me { id } }', { token: victim })).json).toEqual({ data: { me: { id: 'u2' } } });
      const revoked = await graphql(url, 'mutation { revokeToken(jti: "jti-to-revoke") }', { token: await admin() });
      expect(revoked.json).toEqual({ data: { revokeToken: true } });
      const refused = await graphql(url, '{ me { id } }', { token: victim });
      expect(refused.status).toBe(401);
      expect(refused.headers['www-authenticate']).toContain('error_description="token was revoked"');
      expect((await graphql(url, '{ me { id } }', { token: sibling })).json).toEqual({ data: { me: { id: 'u2' } } });
    });

    it('revokeSubject refuses every earlier token of the subject, not later ones', async () => {
      const earlier = await issuer.mint({ sub: 'u3', scope: 'read:user', iat: Math.floor(Date.now() / 1000) - 5 });
      await graphql(url, 'mutation { revokeSubject(sub: "u3") }', { token: await admin() });
      expect((await graphql(url, '{ me { id } }', { token: earlier })).status).toBe(401);
      const later = await issuer.mint({ sub: 'u3', scope: 'read:user', iat: Math.floor(Date.now() / 1000) + 2 });
      expect((await graphql(url, '{ me { id } }', { token: later })).json).toEqual({ data: { me: { id: 'u3' } } });
    });

    it('is admin only, and audited', async () => {
      const res = await graphql(url, 'mutation { revokeSubject(sub: "u1") }', { token: await token('write:post', ['moderator']) });
      expect(codes(res.json)).toEqual([[['revokeSubject'], 'FORBIDDEN']]);
      const log = await graphql(url, '{ auditLog { action actor } }', { token: await admin() });
      expect(log.json.data.auditLog).toEqual(expect.arrayContaining([{ action: 'revokeToken jti-to-revoke', actor: 'ops' }, { action: 'revokeSubject u3', actor: 'ops' }]));
    });
  });

  describe('the verified principal', () => {
    it('is what viewer reports', async () => {
      const res = await graphql(url, '{ viewer { subject scopes roles isAdmin clientId issuer audience } me { id name } }', {
        token: await token('read:user read:email', ['moderator'], 'u2'),
      });
      expect(res.json).toEqual({
        data: {
          viewer: {
            subject: 'u2',
            scopes: ['read:user', 'read:email'],
            roles: ['moderator'],
            isAdmin: false,
            clientId: 'test-client',
            issuer: issuer.issuer,
            audience: [TEST_AUDIENCE],
          },
          me: { id: 'u2', name: 'bob' },
        },
      });
    });
  });
});
