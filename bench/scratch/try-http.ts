import { runHttpScenario } from '../http/scenario.js';
const t = Date.now();
const r = await runHttpScenario(true);
console.log((Date.now() - t) / 1000, 's');
for (const [v, s] of Object.entries(r.samples)) console.log(v, s.map((x) => `${Math.round(x.rps)}rps p99=${x.p99} non2xx=${x.non2xx} err=${x.errors}`).join(' | '));
