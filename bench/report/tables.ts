/**
 * The report's tables: one markdown table per scenario, ratios as "median ± half-IQR" over
 * rounds, each ratio taken against the baseline of the same round.
 */
import type { FanoutResults } from '../subscriptions/fanout.js';
import type { EnvironmentInfo } from '../lib/env-info.js';
import { formatSummary, pairedRatio, summarize } from '../lib/stats.js';
import type { ExecutionResults } from '../execution/main.js';
import type { TokenResults } from '../tokens/main.js';
import type { HttpResults } from '../http/scenario.js';
import type { FloodResults } from '../http/flood.js';
import type { MemoryResults } from '../memory/main.js';

/** Everything one `npm run bench` measured (what bench/results/*.json holds). */
export interface BenchResults {
  readonly mode: 'quick' | 'full';
  readonly environment: EnvironmentInfo;
  readonly execution: ExecutionResults;
  readonly tokens: TokenResults;
  readonly http: HttpResults;
  readonly flood: FloodResults;
  readonly memory: MemoryResults;
  readonly fanout: FanoutResults;
  readonly seconds: number;
}

const row = (cells: readonly string[]) => `| ${cells.join(' | ')} |`;
const header = (cells: readonly string[]) => [row(cells), row(cells.map(() => '---'))].join('\n');
const MiB = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MiB`;

/** Execution overhead: variants × cases, ratio to the no-enforcement baseline. */
export function executionTable(r: ExecutionResults): string {
  const lines = [header(['variant', ...r.cases.map((c) => `${c} (× baseline)`)])];
  for (const [id, label] of Object.entries(r.labels)) {
    const cells = r.cases.map((c) => {
      const wrong = r.verdicts.find((v) => v.variant === id && v.case === c)?.wrong;
      if (wrong !== undefined) return `**wrong**: ${wrong.replace(/\|/g, '\\|')}`;
      const samples = r.samples[c]?.[id] ?? [];
      const base = r.samples[c]?.['baseline'] ?? [];
      if (id === 'baseline') return `1.00 (${formatSummary(summarize(samples.map((s) => s / 1000)), 2, ' ms')})`;
      return formatSummary(pairedRatio(samples, base));
    });
    lines.push(row([label, ...cells]));
  }
  return lines.join('\n');
}

/** Decisions per request, counted through `onDecision`. */
export function decisionsTable(r: ExecutionResults): string {
  return [
    header(['case', 'decisions taken', 'distinct requirements', 'guarded field resolutions']),
    ...r.decisions.map((d) => row([d.case, String(d.decisions), String(d.distinctRequirements), String(d.guardedResolutions)])),
  ].join('\n');
}

/** Token verification: µs per op and ratio to jose RS256 against a local key set. */
export function tokensTable(r: TokenResults, baseline: string): string {
  const base = r.samples[baseline] ?? [];
  const ids = Object.keys(r.labels).sort((a, b) => (summarize(r.samples[a] ?? []).median - summarize(r.samples[b] ?? []).median));
  return [
    header(['operation', 'µs per op', `× ${baseline}`]),
    ...ids.map((id) => row([r.labels[id]!, formatSummary(summarize(r.samples[id] ?? []), 2), formatSummary(pairedRatio(r.samples[id] ?? [], base), 3)])),
  ].join('\n');
}

/** DPoP's per-request cost as ratios: to a cached bearer request and to a cache miss (RS256). */
export function dpopSummary(r: TokenResults): string {
  const dpop = r.samples['gatepass-context-dpop'] ?? [];
  const ratio = (id: string) => formatSummary(pairedRatio(dpop, r.samples[id] ?? []), 2);
  return `DPoP request (fresh ES256 proof + replay store + cached token + binding) = ${ratio('gatepass-context-hit')}× a cached bearer request, ${ratio('gatepass-uncached-RS256')}× a cache miss (RS256 verify).`;
}

/** HTTP: requests/s and p99 per variant, ratios to the no-auth server (Apollo, and Yoga). */
export function httpTable(r: HttpResults): string {
  const base = r.samples['noauth'] ?? [];
  const jose = r.samples['jose-plain'] ?? [];
  const yoga = r.samples['yoga-noauth'] ?? [];
  const lines = [header(['variant', 'req/s', 'p99 ms', 'rps × no-auth', 'p99 × no-auth', 'rps × plain jose', 'rps × Yoga no-auth', 'p99 × Yoga no-auth', 'non-2xx'])];
  for (const [id, label] of Object.entries(r.labels)) {
    const s = r.samples[id] ?? [];
    lines.push(row([
      label,
      formatSummary(summarize(s.map((x) => x.rps)), 0),
      formatSummary(summarize(s.map((x) => x.p99)), 0),
      formatSummary(pairedRatio(s.map((x) => x.rps), base.map((x) => x.rps))),
      formatSummary(pairedRatio(s.map((x) => x.p99), base.map((x) => x.p99))),
      formatSummary(pairedRatio(s.map((x) => x.rps), jose.map((x) => x.rps))),
      formatSummary(pairedRatio(s.map((x) => x.rps), yoga.map((x) => x.rps))),
      formatSummary(pairedRatio(s.map((x) => x.p99), yoga.map((x) => x.p99))),
      String(s.reduce((sum, x) => sum + x.non2xx + x.errors, 0)),
    ]));
  }
  return lines.join('\n');
}

/** The flood: fetches, memory, and the valid client's fate. */
export function floodTable(r: FloodResults): string {
  const v = (x: FloodResults['flood']) => `${x.rps.toFixed(0)} req/s, p99 ${x.p99} ms, ${x.ok2xx} 2xx, ${x.non2xx} non-2xx, ${x.errors} errors`;
  return [
    header(['measure', 'value']),
    row(['flood', `${r.durationSeconds} s, 20 connections, ${r.floodTokens} distinct bad tokens (half random kid, half bad signature): ${v(r.flood)}`]),
    row(['JWKS fetches', `${r.fetchesAtStartup} before the flood (startup + probe requests); ${r.fetchesDuringFlood} during the flood (cooldown ${r.cooldownMs} ms → at most ${r.fetchesAllowed})`]),
    row(['valid client alone (2 connections)', v(r.validAlone)]),
    row(['valid client during the flood', v(r.validDuringFlood)]),
    row(['server memory', `RSS ${MiB(r.memory.rssBefore)} → peak ${MiB(r.memory.rssPeak)}; heap ${MiB(r.memory.heapBefore)} → peak ${MiB(r.memory.heapPeak)} → ${MiB(r.memory.heapAfter)} at end`]),
  ].join('\n');
}

/** Memory: heap growth after GC at checkpoints, beside the cache bound. */
export function memoryTable(r: MemoryResults): string {
  return [
    header(['distinct tokens verified', 'heap growth after GC', '× cache bound']),
    ...r.growth.map((g) => row([String(g.tokens), MiB(g.bytes), (g.bytes / r.boundBytes).toFixed(2)])),
    '',
    `Cache bound: ${r.maxEntries} entries × ≈${r.entryBytes} B (key + entry + principal, measured on 2 000; + lru-cache bookkeeping) = ${MiB(r.boundBytes)}. ${r.tokens} tokens in ${r.seconds.toFixed(1)} s.`,
  ].join('\n');
}
