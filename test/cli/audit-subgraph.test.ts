/**
 * `npm run audit -- schema/subgraph.graphql`: a Federation subgraph schema is built with
 * `buildSubgraphSchema`, and its audit shows `@auth` and the Router's directives side by side.
 */
import { describe, expect, it } from 'vitest';
import { runAuditCli } from '../../src/cli/audit-command.js';

const SUBGRAPH = new URL('../../schema/subgraph.graphql', import.meta.url).pathname;

describe('audit of the example subgraph', () => {
  it('prints every field with @auth and Router clauses, _entities per representation', async () => {
    let out = '';
    const code = await runAuditCli([SUBGRAPH, '--markdown'], { stdout: (text) => (out += text), stderr: (text) => (out += text) });
    expect(code).toBe(0);
    const rows = Object.fromEntries(out.split('\n').filter((line) => line.startsWith('| `'))
      .map((line) => line.split('|').map((cell) => cell.trim())).map((cells) => [cells[1]?.replaceAll('`', ''), cells[2]]));
    expect(rows).toMatchObject({
      'Query.me': 'read:user (@requiresScopes)',
      'Query._entities': "none; each representation: its type's",
      'Query._service': 'none',
      'User.email': 'read:email (@requiresScopes) AND read:user (@requiresScopes)',
      'User.phone': 'read:email AND read:phone AND read:user (@requiresScopes)',
      'Post.draft': 'authenticated',
      'AuditEntry.action': 'role admin',
    });
  });
});
