/**
 * `npm run bench [-- --quick]`: measures gatepass beside its peers in one run and prints a
 * markdown report of ratios; raw samples go to bench/results/<date>-<mode>.json.
 *
 * Order: execution overhead, token verification and memory each in a child process with
 * `--expose-gc`; HTTP and the flood with every server in its own process and autocannon in
 * another. `--quick` (CI smoke, < 1 min) uses fewer rounds, shorter loads and smaller lists.
 *
 * @example
 * ```sh
 * npm run bench -- --quick
 * ```
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { runChild } from './lib/child.js';
import { environmentInfo, environmentMarkdown } from './lib/env-info.js';
import type { ExecutionResults } from './execution/main.js';
import { runFloodScenario } from './http/flood.js';
import { runHttpScenario } from './http/scenario.js';
import type { MemoryResults } from './memory/main.js';
import { fanoutTable, runFanoutScenario } from './subscriptions/fanout.js';
import { decisionsTable, dpopSummary, executionTable, floodTable, httpTable, memoryTable, tokensTable, type BenchResults } from './report/tables.js';
import { evaluateTargets, targetsMarkdown } from './report/targets.js';
import { TOKEN_BASELINE, type TokenResults } from './tokens/main.js';

const quick = process.argv.includes('--quick');
const mode = quick ? 'quick' : 'full';
const flags = quick ? ['--quick'] : [];
// In-process scenarios run as production code does: graphql-js's development-only instanceOf
// checks (NODE_ENV unset) cost every variant alike, ≈10 % of execute, and would flatter ratios.
const gcFlags = { nodeFlags: ['--expose-gc'], env: { NODE_ENV: 'production' } };

/** Logs progress on stderr, so that stdout is the markdown report alone. */
function progress(message: string): void {
  process.stderr.write(`[bench ${((performance.now() - started) / 1000).toFixed(0)} s] ${message}\n`);
}

const started = performance.now();
const environment = environmentInfo();
progress(`${mode} run: execution overhead`);
const execution = await runChild<ExecutionResults>('execution/main.ts', flags, gcFlags);
progress('token verification');
const tokens = await runChild<TokenResults>('tokens/main.ts', flags, gcFlags);
progress('HTTP');
const http = await runHttpScenario(quick);
progress('flood');
const flood = await runFloodScenario(quick);
progress('memory');
const memory = await runChild<MemoryResults>('memory/main.ts', flags, gcFlags);
progress('subscription fan-out');
const fanout = await runFanoutScenario(quick);
const results: BenchResults = { mode, environment, execution, tokens, http, flood, memory, fanout, seconds: (performance.now() - started) / 1000 };

const resultsDir = new URL('./results/', import.meta.url);
await mkdir(resultsDir, { recursive: true });
const file = new URL(`${environment.date.replace(/[:.]/g, '-')}-${mode}.json`, resultsDir);
await writeFile(file, JSON.stringify(results, null, 2));

const report = [
  `# gatepass bench (${mode})`,
  '',
  environmentMarkdown(environment, mode),
  '- in-process scenarios (execution, tokens, memory) run with NODE_ENV=production and --expose-gc; HTTP servers run in dev mode (dev issuer), LOG_LEVEL=warn',
  `- ratios: median over rounds of (variant ÷ baseline of the same round) ± half the inter-quartile range; every variant in every round, rounds in shuffled order; raw samples: bench/results/${file.pathname.split('/').pop()}`,
  '',
  '## Targets',
  '',
  targetsMarkdown(evaluateTargets(results)),
  '',
  `## Execution overhead (graphql \`execute\`, pre-parsed, ${execution.rounds} rounds)`,
  '',
  executionTable(execution),
  '',
  decisionsTable(execution),
  '',
  `## Token verification (${tokens.rounds} rounds)`,
  '',
  tokensTable(tokens, TOKEN_BASELINE),
  '',
  dpopSummary(tokens),
  '',
  `## HTTP (${http.rounds} rounds × ${http.durationSeconds} s, ${http.connections} connections, ${http.rotatingTokens} rotating tokens)`,
  '',
  httpTable(http),
  '',
  '## Flood (production mode, loopback JWKS)',
  '',
  floodTable(flood),
  '',
  '## Memory (verifier, in process)',
  '',
  memoryTable(memory),
  '',
  '## Subscriptions: fan-out of one event (each server in its own process, raw graphql-transport-ws subscribers)',
  '',
  fanoutTable(fanout),
  '',
  `_${results.seconds.toFixed(0)} s in all._`,
].join('\n');
process.stdout.write(`${report}\n`);
