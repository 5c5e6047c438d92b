import { defineConfig } from 'vitest/config';
import { oneGraphqlRealm } from './vitest.config.js';

// `npm run test:reliability`: the fleet under faults and load (real redis-server, real issuer,
// three real API processes). Kept out of `npm test` by vitest.config.ts's exclude.
export default defineConfig({
  resolve: oneGraphqlRealm,
  test: {
    include: ['test/reliability/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // One file at a time: the propagation bound is measured, not raced against another file's load.
    fileParallelism: false,
  },
});
