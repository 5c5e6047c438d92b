/**
 * Explaining a denial: FORBIDDEN errors carry the requirement (`explainDenials`) and, in
 * development, what the principal presented (`explainPresented`); UNAUTHENTICATED carries
 * neither. The reference server turns `explainPresented` on in dev mode only.
 */
import { graphql } from 'graphql';
import { describe, expect, it } from 'vitest';
import { createAuthContext } from '../../../src/directive/request/auth-context.js';
import type { AuthDirectiveOptions } from '../../../src/directive/transform.js';
import { buildExampleSchema } from '../../../src/example/build-example-schema.js';
import { createMemoryRevocationStore } from '../../../src/revocation/memory-store.js';
import type { Principal } from '../../../src/token/principal.js';
import { principal } from '../fixtures.js';
import { guardedLibrarySchema } from '../library-schema.js';

const who = principal({ scopes: ['read:user', 'write:post'], roles: ['staff', 'editor'] });
const REQUIREMENT = { allOf: [{ scopes: [['read:email']] }, { scopes: [['read:user']] }] };
const PRESENTED = { scopes: ['read:user', 'write:post'], roles: ['editor', 'staff'] };

describe('denial explanations', () => {
  it.each([
    ['requirement only (the default)', {}, who, { code: 'FORBIDDEN', requirement: REQUIREMENT }],
    ['requirement and presented', { explainPresented: true }, who, { code: 'FORBIDDEN', requirement: REQUIREMENT, presented: PRESENTED }],
    ['presented only', { explainDenials: false, explainPresented: true }, who, { code: 'FORBIDDEN', presented: PRESENTED }],
    ['neither', { explainDenials: false }, who, { code: 'FORBIDDEN' }],
    ['UNAUTHENTICATED explains nothing', { explainPresented: true }, null, { code: 'UNAUTHENTICATED' }],
  ] as Array<[string, AuthDirectiveOptions, Principal | null, unknown]>)('%s', async (_name, options, caller, extensions) => {
    const { schema } = guardedLibrarySchema(options);
    const result = await graphql({ schema, source: '{ me { email } }', contextValue: createAuthContext(caller) });
    expect(result.errors?.map((e) => e.extensions)).toEqual([extensions]);
  });

  it('explains an item of a guarded member type the same way', async () => {
    const { schema } = guardedLibrarySchema({ explainPresented: true });
    const result = await graphql({ schema, source: '{ search { __typename } }', contextValue: createAuthContext(principal({ scopes: ['x'] })) });
    expect(result.errors?.map((e) => [e.path, e.extensions])).toEqual([
      [['search', 0], { code: 'FORBIDDEN', requirement: { allOf: [{ scopes: [['read:user']] }] }, presented: { scopes: ['x'], roles: [] } }],
    ]);
  });

  it.each([
    ['dev mode (explainPresented: true)', true, { code: 'FORBIDDEN', requirement: REQUIREMENT, presented: PRESENTED }],
    ['production (explainPresented: false)', false, { code: 'FORBIDDEN', requirement: REQUIREMENT }],
  ])('the example schema wires it: %s', async (_name, explainPresented, extensions) => {
    const schema = buildExampleSchema({ explainPresented, revocation: { store: createMemoryRevocationStore(), retentionSeconds: 60 } });
    const result = await graphql({ schema, source: '{ user(id: "u1") { email } }', contextValue: createAuthContext(who) });
    expect(result.errors?.map((e) => e.extensions)).toEqual([extensions]);
  });
});
