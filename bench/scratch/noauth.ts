import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDevIssuer } from '../../src/token/dev-issuer.js';
import { probe, startLoadGenerator, startServer } from '../http/fleet.js';
import { HTTP_QUERY } from '../http/scenario.js';
const dir = await mkdtemp(join(tmpdir(), 'gp-x-'));
const env = { GATEPASS_DEV_KEY_DIR: join(dir, 'k') };
const dev = await openDevIssuer(env.GATEPASS_DEV_KEY_DIR);
const token = await dev.mint({ scope: 'read:user read:email' });
const [a, b] = await Promise.all([startServer('noauth', env), startServer('gatepass', env)]);
console.log(JSON.stringify((await probe(a!.url, HTTP_QUERY)).json));
console.log(JSON.stringify((await probe(b!.url, HTTP_QUERY, token)).json));
const load = await startLoadGenerator();
for (let i = 0; i < 3; i++) {
  const [ra] = await load.run([{ url: a!.url, connections: 10, durationSeconds: 3, body: HTTP_QUERY }]);
  const [rb] = await load.run([{ url: b!.url, connections: 10, durationSeconds: 3, body: HTTP_QUERY, token }]);
  console.log('noauth', Math.round(ra!.rps), ra!.p99, 'gatepass', Math.round(rb!.rps), rb!.p99);
}
await load.stop(); await a!.child.stop(); await b!.child.stop();
