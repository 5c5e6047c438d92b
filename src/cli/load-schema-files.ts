import { readFileSync } from 'node:fs';
import type { GraphQLSchema } from 'graphql';
import { makeAuthExecutableSchema } from '../directive/build-auth-schema.js';

/**
 * Builds a schema from SDL files for the command-line tools, adding the `@auth` and `@public`
 * definitions when the files leave them out (as `schema/example.graphql` does).
 * @throws when a file cannot be read or the SDL is not a valid schema (a misplaced `@auth` named)
 */
export function loadSchemaFiles(files: readonly string[]): GraphQLSchema {
  return makeAuthExecutableSchema({ typeDefs: files.map((file) => readFileSync(file, 'utf8')).join('\n') });
}
