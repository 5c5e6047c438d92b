import { createRequire } from 'node:module';
import { defineConfig } from 'vitest/config';

const require = createRequire(import.meta.url);

/**
 * graphql 16 ships index.mjs ("module") and index.js ("main"). Node, and so @graphql-tools and
 * Apollo, load index.js; Vite would pick index.mjs for our sources, making two graphql realms in
 * one process. Point everyone at the one Node loads, as at run time.
 */
export const oneGraphqlRealm = {
  alias: [{ find: /^graphql$/, replacement: require.resolve('graphql') }],
};

export default defineConfig({
  resolve: oneGraphqlRealm,
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['test/reliability/**', 'node_modules/**'],
    testTimeout: 20_000,
    hookTimeout: 30_000,
    pool: 'forks',
  },
});
