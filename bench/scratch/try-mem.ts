import { runChild } from '../lib/child.js';
import type { MemoryResults } from '../memory/main.js';
const t = Date.now();
const r = await runChild<MemoryResults>('memory/main.ts', ['--quick'], { nodeFlags: ['--expose-gc'] });
console.log((Date.now() - t) / 1000, 's', JSON.stringify(r));
