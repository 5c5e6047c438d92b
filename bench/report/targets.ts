/**
 * The issue's targets ("Measured faster than its peers"), each computed from one run's results
 * and printed with ✓ or ✗. Printed, never asserted: DESIGN.md keeps timings out of tests.
 */
import { pairedRatio, summarize } from '../lib/stats.js';
import { TOKEN_BASELINE } from '../tokens/main.js';
import type { BenchResults } from './tables.js';

/** One target and its verdict. */
export interface TargetVerdict {
  readonly target: string;
  readonly measured: string;
  /** `undefined` when the target could not be measured (e.g. a wrong peer). */
  readonly pass: boolean | undefined;
}

const fmt = (x: number, d = 2) => (Number.isFinite(x) ? x.toFixed(d) : 'n/a');

/** Evaluates every target. */
export function evaluateTargets(r: BenchResults): TargetVerdict[] {
  const out: TargetVerdict[] = [];
  const ex = r.execution;
  const [allowed, denied] = ex.cases;
  const series = (c: string | undefined, id: string) => ex.samples[c ?? '']?.[id] ?? [];
  const wrong = (c: string | undefined, id: string) => ex.verdicts.find((v) => v.case === c && v.variant === id)?.wrong;
  const vsBase = (c: string | undefined, id: string) => pairedRatio(series(c, id), series(c, 'baseline')).median;

  const gpAllowed = vsBase(allowed, 'gatepass');
  out.push({ target: `execution ${allowed}: gatepass ≤ 1.08× baseline`, measured: `${fmt(gpAllowed)}×`, pass: gpAllowed <= 1.08 });
  for (const peer of ['shield', 'generic-auth']) {
    if (series(allowed, peer).length === 0) {
      out.push({ target: `execution ${allowed}: gatepass faster than ${peer}`, measured: `${peer} does not run on Node ${process.version}`, pass: undefined });
      continue;
    }
    const w = wrong(allowed, peer);
    const vsPeer = pairedRatio(series(allowed, 'gatepass'), series(allowed, peer)).median;
    out.push({
      target: `execution ${allowed}: gatepass faster than ${peer}`,
      measured: w ? `${peer} answers wrongly` : `gatepass = ${fmt(vsPeer)}× ${peer} (${peer} ${fmt(vsBase(allowed, peer))}× baseline)`,
      pass: w ? undefined : vsPeer < 1,
    });
  }
  const gpDenied = vsBase(denied, 'gatepass');
  out.push({
    target: `execution ${denied}: gatepass ≤ 2.0× baseline`,
    measured: `${fmt(gpDenied)}× (lean floor ${wrong(denied, 'lean') ? 'wrong' : `${fmt(vsBase(denied, 'lean'))}×`})`,
    pass: gpDenied <= 2.0,
  });
  const overCount = ex.decisions.filter((d) => d.decisions > d.distinctRequirements);
  out.push({
    target: 'one decision per (requirement, request)',
    measured: ex.decisions.map((d) => `${d.case}: ${d.decisions} for ${d.distinctRequirements} requirements`).join('; '),
    pass: overCount.length === 0,
  });

  const hit = summarize(r.tokens.samples['gatepass-cache-hit'] ?? []).median;
  const hitRatio = pairedRatio(r.tokens.samples['gatepass-cache-hit'] ?? [], r.tokens.samples[TOKEN_BASELINE] ?? []).median;
  out.push({ target: 'cache hit ≤ 2 µs', measured: `${fmt(hit)} µs`, pass: hit <= 2 });
  out.push({ target: 'cache hit ≥ 15× cheaper than local RS256 verify', measured: `${fmt(1 / hitRatio, 1)}× cheaper`, pass: 1 / hitRatio >= 15 });

  const h = r.http.samples;
  const rps = (id: string) => (h[id] ?? []).map((x) => x.rps);
  const p99 = (id: string) => (h[id] ?? []).map((x) => x.p99);
  const hitRps = pairedRatio(rps('gatepass-hit'), rps('noauth')).median;
  const hitP99 = pairedRatio(p99('gatepass-hit'), p99('noauth')).median;
  out.push({ target: 'HTTP cache hits ≥ 0.95× no-auth req/s', measured: `${fmt(hitRps)}×`, pass: hitRps >= 0.95 });
  out.push({ target: 'HTTP cache hits p99 ≤ 1.10× no-auth p99', measured: `${fmt(hitP99)}×`, pass: hitP99 <= 1.10 });
  const missRps = pairedRatio(rps('gatepass-miss'), rps('jose-plain')).median;
  out.push({ target: 'HTTP cache misses within 1.05× of plain jose (req/s)', measured: `${fmt(missRps)}× plain jose req/s`, pass: missRps >= 1 / 1.05 });

  const m = r.memory;
  const last = m.growth[m.growth.length - 1];
  const first = m.growth[0];
  const ratio = (last?.bytes ?? Number.NaN) / m.boundBytes;
  const flat = ((last?.bytes ?? 0) - (first?.bytes ?? 0)) / m.boundBytes;
  out.push({
    target: 'memory within the cache bound (≤ 1.25× the estimated bound, flat after it fills)',
    measured: `${fmt(ratio)}× bound after ${last?.tokens} tokens; +${fmt(flat * 100, 1)} % of bound from ${first?.tokens} to ${last?.tokens}`,
    pass: ratio <= 1.25 && flat <= 0.1,
  });

  const f = r.flood;
  out.push({ target: 'flood: ≤ 1 JWKS fetch per cooldown', measured: `${f.fetchesDuringFlood} fetches in ${f.durationSeconds} s (cooldown ${f.cooldownMs} ms, ≤ ${f.fetchesAllowed})`, pass: f.fetchesDuringFlood <= f.fetchesAllowed });
  const v = f.validDuringFlood;
  out.push({ target: 'flood: valid requests keep succeeding', measured: `${v.ok2xx} ok, ${v.non2xx + v.errors + v.timeouts} failed`, pass: v.ok2xx > 0 && v.non2xx + v.errors + v.timeouts === 0 });
  const fan = pairedRatio(r.fanout.samples.guarded, r.fanout.samples.unguarded).median;
  out.push({ target: `fan-out: one event to ${r.fanout.subscribers} subscribers, guarded ≤ 1.3× unguarded`, measured: `${fmt(fan)}×`, pass: fan <= 1.3 });
  return out;
}

/** The targets as a markdown list. */
export function targetsMarkdown(verdicts: readonly TargetVerdict[]): string {
  return verdicts.map((v) => `- ${v.pass === undefined ? '–' : v.pass ? '✓' : '✗'} ${v.target}: ${v.measured}`).join('\n');
}
