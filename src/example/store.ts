/** A user of the example API. */
export interface UserRecord {
  readonly id: string;
  readonly name: string;
  readonly email: string | null;
  readonly phone: string | null;
  readonly handle: string | null;
}

/** A post of the example API. */
export interface PostRecord {
  readonly id: string;
  readonly title: string;
  readonly body: string;
  readonly authorId: string;
  readonly draft: boolean;
}

/** One line of the example API's audit log. */
export interface AuditRecord {
  readonly id: string;
  readonly action: string;
  readonly actor: string;
  readonly at: string;
}

/**
 * The example API's in-memory data: three users, three posts, an audit log. Each server gets
 * its own store, so tests never see each other's writes.
 */
export class ExampleStore {
  readonly users: ReadonlyMap<string, UserRecord> = new Map(
    [
      { id: 'u1', name: 'alice', email: 'alice@example.com', phone: '+1-555-0100', handle: '@alice' },
      { id: 'u2', name: 'bob', email: 'bob@example.com', phone: null, handle: null },
      { id: 'u3', name: 'carol', email: 'carol@example.com', phone: null, handle: null },
    ].map((user) => [user.id, user]),
  );

  private readonly posts = new Map<string, PostRecord>(
    [
      { id: 'p1', title: 'Hello', body: 'Hello, world.', authorId: 'u1', draft: false },
      { id: 'p2', title: 'Second', body: 'A second post.', authorId: 'u2', draft: false },
      { id: 'p3', title: 'Draft', body: 'Not ready yet.', authorId: 'u1', draft: true },
    ].map((post) => [post.id, post]),
  );

  private readonly audit: AuditRecord[] = [];
  private nextPostNumber = 4;

  /** Every post, drafts included. */
  allPosts(): PostRecord[] {
    return [...this.posts.values()];
  }

  post(id: string): PostRecord | undefined {
    return this.posts.get(id);
  }

  addPost(title: string, body: string, authorId: string): PostRecord {
    const post: PostRecord = { id: `p${this.nextPostNumber++}`, title, body, authorId, draft: false };
    this.posts.set(post.id, post);
    return post;
  }

  /** Removes a post; false when there was none. */
  removePost(id: string): boolean {
    return this.posts.delete(id);
  }

  /** Replaces a user's email; `undefined` when there is no such user. */
  setEmail(id: string, email: string): UserRecord | undefined {
    const user = this.users.get(id);
    if (user === undefined) return undefined;
    const changed = { ...user, email };
    (this.users as Map<string, UserRecord>).set(id, changed);
    return changed;
  }

  record(action: string, actor: string, now: Date = new Date()): AuditRecord {
    const entry = { id: `a${this.audit.length + 1}`, action, actor, at: now.toISOString() };
    this.audit.push(entry);
    return entry;
  }

  auditLog(): readonly AuditRecord[] {
    return this.audit;
  }
}
