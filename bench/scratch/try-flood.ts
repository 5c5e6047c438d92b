import { runFloodScenario } from '../http/flood.js';
const t = Date.now();
const r = await runFloodScenario(true);
console.log((Date.now() - t) / 1000, 's', JSON.stringify(r, null, 1));
