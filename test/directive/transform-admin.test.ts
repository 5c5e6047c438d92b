/**
 * The admin override: an admin principal (admin role or admin scope, computed into
 * `principal.isAdmin` by the token layer) satisfies every @auth, except clauses that opt out
 * with `adminOverride: false`; every pass is logged; admin never replaces authentication.
 */
import { describe, expect, it } from 'vitest';
import type { Principal } from '../../src/token/principal.js';
import { principal, recordingLogger, run, type Outcome } from './fixtures.js';
import { guardedLibrarySchema } from './library-schema.js';

// The token layer sets isAdmin from AUTH_ADMIN_ROLE / AUTH_ADMIN_SCOPE; both shapes here.
const adminByRole = principal({ roles: ['admin'], isAdmin: true, subject: 'root' });
const adminByScope = principal({ scopes: ['admin'], isAdmin: true, subject: 'root' });
const banker = principal({ roles: ['banker'] });
const adminBanker = principal({ roles: ['banker', 'admin'], isAdmin: true, subject: 'root' });
// Holding a role named "admin" without isAdmin grants nothing: isAdmin is the only switch.
const notAdmin = principal({ roles: ['admin'], scopes: ['admin'] });

describe('admin override', () => {
  it.each([
    ['admin role passes type and field requirements', '{ users { email salary } }', adminByRole, {
      data: { users: [{ email: 'ann@x', salary: '1' }, { email: 'bob@x', salary: '2' }] },
    }],
    ['admin scope passes too', '{ user(id: "u1") { phone } }', adminByScope, { data: { user: { phone: '555' } } }],
    ['"admin" names without isAdmin grant nothing', '{ user(id: "u1") { id } }', notAdmin, {
      data: { user: null }, errors: [{ path: ['user'], code: 'FORBIDDEN' }],
    }],
    ['adminOverride: false is not overridden', '{ vault { gold } }', adminByRole, {
      data: { vault: null }, errors: [{ path: ['vault'], code: 'FORBIDDEN' }],
    }],
    ['adminOverride: false met by the role itself', '{ vault { gold } }', banker, { data: { vault: { gold: 7 } } }],
    ['opt-out is per clause: the field clause keeps the override', '{ vault { gold ledger } }', adminBanker, {
      data: { vault: { gold: 7, ledger: 'ok' } },
    }],
    ['non-admin banker lacks the field scope', '{ vault { ledger } }', banker, {
      data: { vault: { ledger: null } }, errors: [{ path: ['vault', 'ledger'], code: 'FORBIDDEN' }],
    }],
  ] as Array<[string, string, Principal, Outcome]>)('%s', async (_name, query, who, expected) => {
    const { schema } = guardedLibrarySchema();
    expect(await run(schema, query, who)).toEqual(expected);
  });

  it('logs each admin pass once per (requirement, request), with subject and path', async () => {
    const { logger, lines } = recordingLogger();
    const { schema } = guardedLibrarySchema({ logger });
    await run(schema, '{ users { name email } }', adminByRole);
    const passes = lines.filter((line) => line['msg'] === 'admin override');
    expect(passes.map((line) => ({ subject: line['subject'], path: line['path'] }))).toEqual([
      { subject: 'root', path: ['users'] },
      { subject: 'root', path: ['users', 0, 'email'] },
    ]);
    expect(passes[0]?.['level']).toBe(30); // info
  });

  it('does not log principals that pass on their own scopes', async () => {
    const { logger, lines } = recordingLogger();
    const { schema } = guardedLibrarySchema({ logger });
    await run(schema, '{ users { email } }', principal({ scopes: ['read:user', 'read:email', 'admin'], isAdmin: true }));
    expect(lines.filter((line) => line['msg'] === 'admin override')).toEqual([]);
  });
});
