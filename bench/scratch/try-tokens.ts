import { runChild } from '../lib/child.js';
import { pairedRatio, formatSummary, summarize } from '../lib/stats.js';
import type { TokenResults } from '../tokens/main.js';
const t = Date.now();
const r = await runChild<TokenResults>('tokens/main.ts', ['--quick'], { nodeFlags: ['--expose-gc'] });
console.log((Date.now() - t) / 1000, 's');
for (const [v, s] of Object.entries(r.samples)) console.log(v, formatSummary(summarize(s)), formatSummary(pairedRatio(s, r.samples['jose-local-RS256']!), 3));
