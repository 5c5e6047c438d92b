import { runChild } from '../lib/child.js';
import { pairedRatio, formatSummary } from '../lib/stats.js';
import type { ExecutionResults } from '../execution/main.js';
const t = Date.now();
const r = await runChild<ExecutionResults>('execution/main.ts', ['--quick'], { nodeFlags: ['--expose-gc'] });
console.log((Date.now() - t) / 1000, 's', r.decisions);
for (const [c, vs] of Object.entries(r.samples)) for (const [v, s] of Object.entries(vs)) console.log(c, v, Math.round(s[0]!), formatSummary(pairedRatio(s, vs['baseline']!)));
