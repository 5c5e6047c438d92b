/**
 * Child process entry of the fan-out scenario: one reference server (dev mode) alone in its
 * process, with the example schema guarded by gatepass (`guarded`) or left inert (`unguarded`:
 * the same SDL and resolvers, no transformer; the WebSocket transport still verifies tokens at
 * connect). Reports its URL and two dev tokens, and its heap after GC when asked.
 */
import { loadConfig } from '../../src/config/load-config.js';
import { exampleServerSchema } from '../../src/example/build-example-schema.js';
import { createServer } from '../../src/server/app.js';
import { unguardedExampleSchema } from '../http/plain-servers.js';
import { sendToParent } from '../lib/child.js';
import { collectGarbage } from '../lib/timing.js';

/** Message sent once the server listens. */
export interface FanoutListening {
  readonly type: 'listening';
  readonly url: string;
  /** `read:user`: Post.author is allowed. */
  readonly reader: string;
  /** `write:post`: may publish with createPost. */
  readonly writer: string;
}

const kind = process.argv[2];
if (kind !== 'guarded' && kind !== 'unguarded') throw new Error(`unknown fan-out server ${kind}`);
const config = loadConfig({ ...process.env, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'warn', LANDING_PAGE: 'false', AUTH_ISSUER: '', AUTH_AUDIENCE: '', NODE_ENV: 'development' });
const server = await createServer(config, { schema: kind === 'guarded' ? exampleServerSchema : unguardedExampleSchema() });
const url = await server.listen();
const mint = (scope: string) => server.devIssuer!.mint({ sub: 'u1', scope, ttlSeconds: 3_600 });
sendToParent({ type: 'listening', url, reader: await mint('read:user'), writer: await mint('write:post') });
process.on('message', (message: { type?: string }) => {
  if (message.type !== 'heap') return;
  collectGarbage();
  collectGarbage();
  sendToParent({ type: 'heap', heapUsed: process.memoryUsage().heapUsed });
});
process.on('SIGTERM', () => process.exit(0));
process.on('disconnect', () => process.exit(0));
