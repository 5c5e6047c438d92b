import { openDevIssuer } from '../../src/token/dev-issuer.js';
const dev = await openDevIssuer('/tmp/gp-mint');
let t = performance.now();
for (let i = 0; i < 2000; i++) await dev.mint({ sub: 'u1', scope: 'a b' });
console.log('mint us', (performance.now() - t) / 2000 * 1000);
t = performance.now();
await Promise.all(Array.from({ length: 2000 }, () => dev.mint({ sub: 'u1', scope: 'a b' })));
console.log('parallel mint us', (performance.now() - t) / 2000 * 1000);
