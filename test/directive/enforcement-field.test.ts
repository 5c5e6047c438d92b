/**
 * `field` enforcement leaves everything to the guards: the plugin adds no per-request listener
 * (Apollo would call each of its hooks, through an async call, on every request), whether the
 * mode is given to the plugin or read from the transformed schema. The other modes still get theirs.
 */
import type { GraphQLRequestContext } from '@apollo/server';
import { describe, expect, it } from 'vitest';
import type { EnforcementMode } from '../../src/config/config.js';
import type { AuthContext } from '../../src/directive/request/auth-context.js';
import { authEnforcementPlugin } from '../../src/directive/enforcement-plugin.js';
import { authDirectiveTransformer } from '../../src/directive/transform.js';
import { buildLibrarySchema } from './library-schema.js';

const schemaIn = (mode: EnforcementMode) => authDirectiveTransformer(buildLibrarySchema().schema, { mode });
const requestOf = (mode: EnforcementMode) => ({ schema: schemaIn(mode) }) as GraphQLRequestContext<AuthContext>;

describe('authEnforcementPlugin per request', () => {
  it("registers no requestDidStart when given mode 'field'", () => {
    expect(authEnforcementPlugin({ mode: 'field' }).requestDidStart).toBeUndefined();
  });

  it.each([
    ['field', undefined],
    ['operation', ['didResolveOperation', 'responseForOperation']],
    ['dry-run', ['willSendResponse']],
  ] as Array<[EnforcementMode, string[] | undefined]>)("with the schema's mode '%s', listens to %j", async (mode, hooks) => {
    const listener = await authEnforcementPlugin().requestDidStart?.(requestOf(mode));
    expect(listener ? Object.keys(listener).sort() : listener).toEqual(hooks);
  });
});
