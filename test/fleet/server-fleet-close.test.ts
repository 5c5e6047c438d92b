import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApolloServer } from '@apollo/server';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../../src/config/load-config.js';
import { createServer } from '../../src/server/app.js';
import { within } from './fleet-helpers.js';
import { HAS_REDIS_SERVER, startTestRedis, type TestRedis } from './redis-server.js';
import { exampleServerSchema } from '../../src/example/build-example-schema.js';

// The reference server opens the fleet's Redis connections early; a start that fails later, or a
// stop that fails, must not leave them open.
describe.skipIf(!HAS_REDIS_SERVER)('the server and its Redis connections', () => {
  let redis: TestRedis;
  let admin: Redis;
  let dir: string;
  const gatepassClients = async () => String(await admin.client('LIST')).split('\n').filter((line) => / name=gatepass:/.test(line)).length;
  const config = (env: Record<string, string> = {}) =>
    loadConfig({ REDIS_URL: redis.url, PORT: '0', LOG_LEVEL: 'silent', GATEPASS_DEV_KEY_DIR: dir, ...env });

  beforeAll(async () => {
    redis = await startTestRedis();
    admin = new Redis(redis.url);
    dir = await mkdtemp(join(tmpdir(), 'gatepass-fleet-close-'));
  });
  afterEach(() => vi.restoreAllMocks());
  afterAll(async () => {
    admin?.disconnect();
    await redis?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('closes the fleet when the server cannot be built after Redis was opened', async () => {
    const missing = join(dir, 'missing.pem');
    await expect(createServer(config({ TLS_CERT: missing, TLS_KEY: missing }), { schema: exampleServerSchema })).rejects.toThrow(/ENOENT/);
    await within(2_000, async () => (await gatepassClients()) === 0);
  });

  it('closes the fleet even when stopping Apollo fails', async () => {
    const server = await createServer(config(), { schema: exampleServerSchema });
    await server.listen();
    // The revocation sync's two, and the subscription events' publisher and subscriber.
    expect(await gatepassClients()).toBe(4);
    vi.spyOn(ApolloServer.prototype, 'stop').mockRejectedValueOnce(new Error('stop failed'));
    await expect(server.close()).rejects.toThrow('stop failed');
    await within(2_000, async () => (await gatepassClients()) === 0);
  });
});
