import { readFileSync } from 'node:fs';
import { makeExecutableSchema } from '@graphql-tools/schema';
import type { GraphQLSchema } from 'graphql';
import { AUTH_DIRECTIVE_SDL } from '../directive/schema/sdl.js';

/**
 * Builds a schema from SDL files for the command-line tools, adding the `@auth` and `@public`
 * definitions when the files leave them out (as `schema/example.graphql` does).
 * @throws when a file cannot be read or the SDL is not a valid schema
 */
export function loadSchemaFiles(files: readonly string[]): GraphQLSchema {
  const sdl = files.map((file) => readFileSync(file, 'utf8')).join('\n');
  return makeExecutableSchema({ typeDefs: /directive\s+@auth\b/.test(sdl) ? sdl : [AUTH_DIRECTIVE_SDL, sdl] });
}
