import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { parse, type GraphQLSchema } from 'graphql';
import { makeAuthExecutableSchema } from '../directive/build-auth-schema.js';
import { AUTH_DIRECTIVE_SDL } from '../directive/schema/sdl.js';

// A Federation 2 subgraph schema links the federation spec (schema/subgraph.graphql does).
const FEDERATION_LINK = /@link\s*\(\s*url\s*:\s*"https:\/\/specs\.apollo\.dev\/federation\//;

/**
 * Builds a schema from SDL files for the command-line tools, adding the `@auth` and `@public`
 * definitions when the files leave them out (as `schema/example.graphql` does). A Federation
 * subgraph schema (one that `@link`s the federation spec) is built by `@apollo/subgraph`'s
 * `buildSubgraphSchema`, which defines the directives it imports (`@key`, `@requiresScopes`, …).
 * @throws when a file cannot be read, the SDL is not a valid schema (a misplaced `@auth` named),
 * or a subgraph schema is given where `@apollo/subgraph` is not installed
 */
export function loadSchemaFiles(files: readonly string[]): GraphQLSchema {
  const sdl = files.map((file) => readFileSync(file, 'utf8')).join('\n');
  if (!FEDERATION_LINK.test(sdl)) return makeAuthExecutableSchema({ typeDefs: sdl });
  let subgraph: typeof import('@apollo/subgraph');
  try {
    // Loaded only for subgraph schemas: the package is the user's choice, not a dependency.
    subgraph = createRequire(import.meta.url)('@apollo/subgraph') as typeof import('@apollo/subgraph');
  } catch {
    throw new Error('this schema is a Federation subgraph: install @apollo/subgraph to build it');
  }
  return subgraph.buildSubgraphSchema(parse(/directive\s+@auth\b/.test(sdl) ? sdl : `${AUTH_DIRECTIVE_SDL}\n${sdl}`));
}
