/**
 * Who wants to know that a revocation was just recorded or learnt: holders of long-lived
 * authority (open WebSocket connections) that must not outlive a revoked token. A listener is
 * only told "something was revoked"; it asks the store's own `isRevoked` again for what it holds,
 * so matching a token to a revocation stays in one place.
 * @see RFC 7009 §2 (a revoked token must not be accepted any more)
 */

/** Called after a revocation took effect in a store; it re-asks `isRevoked` itself. */
export type RevocationListener = () => void;

/** A set of {@link RevocationListener}s, told in turn; one that throws does not stop the others. */
export class RevocationListeners {
  private readonly listeners = new Set<RevocationListener>();

  /**
   * Adds a listener; returns the function that removes it.
   *
   * @example
   * ```ts
   * const stop = listeners.add(() => sweepOpenSockets());
   * ```
   */
  add(listener: RevocationListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Tells every listener. Errors are swallowed here: a revocation already took effect. */
  notify(): void {
    for (const listener of this.listeners) {
      try {
        listener();
      } catch {
        // A listener's own failure is its business; the store's state is already correct.
      }
    }
  }
}
