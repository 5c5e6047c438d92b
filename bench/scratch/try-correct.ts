import { allExecutionVariants, checkCorrectness } from '../execution/correctness.js';
const v = await checkCorrectness(allExecutionVariants(), [{ n: 5, caller: 'allowed' }, { n: 5, caller: 'denied-email' }]);
console.log(v);
