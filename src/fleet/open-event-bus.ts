/**
 * Where subscription events travel: in this process (graphql-subscriptions' `PubSub`), or with
 * `REDIS_URL` through Redis pub/sub (graphql-redis-subscriptions' `RedisPubSub`) on two ioredis
 * connections opened like the fleet's own, so an event published on one instance reaches the
 * subscribers of every instance. Events carry no authorization: each subscriber's guards run on
 * each event where it is delivered.
 * @see README "Subscriptions", "Running several instances"
 */
import { EventEmitter } from 'node:events';
import { PubSub, type PubSubEngine } from 'graphql-subscriptions';
import { RedisPubSub } from 'graphql-redis-subscriptions';
import { closeRedisConnection, openRedisConnection } from './redis-connection.js';

/** The pub/sub of one server and how to close it. */
export interface EventBus {
  readonly pubsub: PubSubEngine;
  /** Closes the Redis connections (nothing to close in process). */
  close(): Promise<void>;
}

/**
 * graphql-subscriptions' in-process `PubSub`, on an EventEmitter without a listener limit: each
 * subscriber is one listener of its event, and Node's default of 10 would warn of a leak at the
 * eleventh subscriber (the sockets themselves are bounded by `WS_MAX_CONNECTIONS`).
 */
export function createInProcessPubSub(): PubSubEngine {
  const eventEmitter = new EventEmitter();
  eventEmitter.setMaxListeners(0);
  return new PubSub({ eventEmitter });
}

/**
 * Opens the event bus: Redis pub/sub when `redisUrl` is given, else in process.
 *
 * @example
 * ```ts
 * const bus = await openEventBus(config.redisUrl);
 * await bus.pubsub.publish('postAdded', post);
 * ```
 * @throws {RedisUnavailableError} Redis cannot be reached at startup (names REDIS_URL)
 */
export async function openEventBus(redisUrl: URL | undefined): Promise<EventBus> {
  if (redisUrl === undefined) return { pubsub: createInProcessPubSub(), close: async () => {} };
  // Longer than the revocation checks' 1 s: nothing waits on an event but its subscribers, and a
  // SUBSCRIBE or PUBLISH timed out on a busy host is an event silently lost.
  const commandTimeoutMs = 5_000;
  const publisher = await openRedisConnection(redisUrl, { name: `gatepass:${process.pid}:events-pub`, commandTimeoutMs });
  // Resubscribed by ioredis after a reconnection: unlike the revocation sync, nothing reloads
  // here, and events published while Redis was away are gone (pub/sub keeps no history).
  const subscriber = await openRedisConnection(redisUrl, { name: `gatepass:${process.pid}:events-sub`, commandTimeoutMs, autoResubscribe: true }).catch(async (error: unknown) => {
    await closeRedisConnection(publisher);
    throw error;
  });
  return {
    pubsub: new RedisPubSub({ publisher, subscriber }),
    close: async () => {
      await Promise.all([closeRedisConnection(publisher), closeRedisConnection(subscriber)]);
    },
  };
}
