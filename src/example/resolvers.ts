import type { IResolvers } from '@graphql-tools/utils';
import type { AuthContext } from '../directive/context.js';
import type { PostRecord, UserRecord, ExampleStore } from './store.js';

type Record_ = UserRecord | PostRecord;

const isPost = (record: Record_): record is PostRecord => 'title' in record;

/**
 * Resolvers of the example API (`schema/example.graphql`). They hold no authorization logic at
 * all: every rule lives in the schema's `@auth` directives, which is the point of the example.
 */
export function createExampleResolvers(store: ExampleStore): IResolvers<unknown, AuthContext> {
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
      createPost: (_: unknown, { title, body }: { title: string; body: string }, { principal }: AuthContext) => {
        // @auth guarantees a principal here; the check keeps the resolver honest on its own.
        if (!principal) throw new Error('createPost reached without a principal');
        const post = store.addPost(title, body, principal.subject);
        store.record(`createPost ${post.id}`, principal.subject);
        return post;
      },
      deletePost: (_: unknown, { id }: { id: string }, { principal }: AuthContext) => {
        if (!principal) throw new Error('deletePost reached without a principal');
        const removed = store.removePost(id);
        if (removed) store.record(`deletePost ${id}`, principal.subject);
        return removed;
      },
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
      scopes: (principal: AuthContext['principal'] & object) => [...principal.scopes],
      roles: (principal: AuthContext['principal'] & object) => [...principal.roles],
      audience: (principal: AuthContext['principal'] & object) => principal.audience,
      expiresAt: (principal: AuthContext['principal'] & object) => principal.expiresAt.toISOString(),
    },
  };
}
