import type { IResolvers } from '@graphql-tools/utils';
import type { PubSubEngine } from 'graphql-subscriptions';
import { createInProcessPubSub } from '../fleet/open-event-bus.js';
import type { AuthContext } from '../directive/request/auth-context.js';
import type { Principal } from '../token/principal.js';
import type { RevocationStore } from '../revocation/store.js';
import type { PostRecord, UserRecord, ExampleStore } from './store.js';

type Record_ = UserRecord | PostRecord;

const isPost = (record: Record_): record is PostRecord => 'title' in record;

/** What the example API's revocation mutations need. */
export interface ExampleRevocation {
  readonly store: RevocationStore;
  /** A revocation is kept this long: no token it covers can be accepted after it. */
  readonly retentionSeconds: number;
}

/**
 * The example API's event names (Redis channels with `REDIS_URL`, under gatepass's prefix).
 * Payloads are plain records, as JSON carries them between instances.
 */
export const EXAMPLE_EVENTS = { postAdded: 'gatepass:example:postAdded', auditEntryAdded: 'gatepass:example:auditEntryAdded' } as const;

/**
 * Resolvers of the example API (`schema/example.graphql`). They hold no authorization logic at
 * all: every rule lives in the schema's `@auth` directives, which is the point of the example.
 */
export function createExampleResolvers(store: ExampleStore, revocation: ExampleRevocation, events: PubSubEngine = createInProcessPubSub()): IResolvers<unknown, AuthContext> {
  // Events are at most once (pub/sub keeps no history): a publish that fails while Redis is
  // lost neither undoes the change nor turns its answer into an error.
  const publish = (trigger: string, payload: unknown): Promise<void> => events.publish(trigger, payload).catch(() => undefined);
  const audit = (action: string, actor: string): Promise<void> => publish(EXAMPLE_EVENTS.auditEntryAdded, store.record(action, actor));
  const findNode = (id: string): Record_ | null => store.users.get(id) ?? store.post(id) ?? null;
  return {
    Query: {
      posts: () => store.allPosts().filter((post) => !post.draft),
      post: (_: unknown, { id }: { id: string }) => store.post(id) ?? null,
      me: (_: unknown, __: unknown, { principal }: AuthContext) => (principal ? (store.users.get(principal.subject) ?? null) : null),
      viewer: (_: unknown, __: unknown, { principal }: AuthContext) => principal,
      user: (_: unknown, { id }: { id: string }) => store.users.get(id) ?? null,
      users: () => [...store.users.values()],
      node: (_: unknown, { id }: { id: string }) => findNode(id),
      search: (_: unknown, { text }: { text: string }) => {
        const needle = text.toLowerCase();
        return [
          ...[...store.users.values()].filter((user) => user.name.toLowerCase().includes(needle)),
          ...store.allPosts().filter((post) => !post.draft && post.title.toLowerCase().includes(needle)),
        ];
      },
      auditLog: () => store.auditLog(),
    },
    Mutation: {
      createPost: async (_: unknown, { title, body }: { title: string; body: string }, { principal }: AuthContext) => {
        // @auth guarantees a principal here; the check keeps the resolver honest on its own.
        if (!principal) throw new Error('createPost reached without a principal');
        const post = store.addPost(title, body, principal.subject);
        await publish(EXAMPLE_EVENTS.postAdded, post);
        await audit(`createPost ${post.id}`, principal.subject);
        return post;
      },
      changeEmail: async (_: unknown, { email }: { email: string }, { principal }: AuthContext) => {
        if (!principal) throw new Error('changeEmail reached without a principal');
        // The caller's own user only: no id argument, so no way to name someone else's.
        const user = store.setEmail(principal.subject, email) ?? null;
        if (user) await audit('changeEmail', principal.subject);
        return user;
      },
      deletePost: async (_: unknown, { id }: { id: string }, { principal }: AuthContext) => {
        if (!principal) throw new Error('deletePost reached without a principal');
        const removed = store.removePost(id);
        if (removed) await audit(`deletePost ${id}`, principal.subject);
        return removed;
      },
      revokeToken: async (_: unknown, { jti }: { jti: string }, { principal }: AuthContext) => {
        if (!principal) throw new Error('revokeToken reached without a principal');
        // The token's exp is unknown here: remember the jti as long as any token could live.
        await revocation.store.revokeToken(jti, new Date(Date.now() + revocation.retentionSeconds * 1000));
        store.record(`revokeToken ${jti}`, principal.subject);
        return true;
      },
      revokeSubject: async (_: unknown, { sub }: { sub: string }, { principal }: AuthContext) => {
        if (!principal) throw new Error('revokeSubject reached without a principal');
        const now = Date.now();
        await revocation.store.revokeSubject(sub, new Date(now), new Date(now + revocation.retentionSeconds * 1000));
        store.record(`revokeSubject ${sub}`, principal.subject);
        return true;
      },
    },
    // No authorization here either: `@auth` on AuditEntry guards `subscribe` before the stream
    // exists, and Post.author is guarded in every event as in every query.
    Subscription: {
      postAdded: { subscribe: () => events.asyncIterableIterator(EXAMPLE_EVENTS.postAdded), resolve: (post: PostRecord) => post },
      auditEntryAdded: { subscribe: () => events.asyncIterableIterator(EXAMPLE_EVENTS.auditEntryAdded), resolve: (entry: unknown) => entry },
    },
    Node: { __resolveType: (record: Record_) => (isPost(record) ? 'Post' : 'User') },
    SearchResult: { __resolveType: (record: Record_) => (isPost(record) ? 'Post' : 'User') },
    User: {
      posts: (user: UserRecord, _: unknown, { principal }: AuthContext) =>
        store.allPosts().filter((post) => post.authorId === user.id && (!post.draft || principal?.subject === user.id)),
    },
    Post: {
      author: (post: PostRecord) => store.users.get(post.authorId) ?? null,
    },
    Viewer: {
      scopes: (principal: Principal) => [...principal.scopes],
      roles: (principal: Principal) => [...principal.roles],
      audience: (principal: Principal) => principal.audience,
      expiresAt: (principal: Principal) => principal.expiresAt.toISOString(),
    },
  };
}
