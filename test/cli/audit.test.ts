/**
 * `npm run audit`: formats, the directive SDL added when the files lack it, `--fail-on` for CI,
 * and usage and schema errors (exit codes 0 / 1 / 2).
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runAuditCli } from '../../src/cli/audit-command.js';
import { AUTH_DIRECTIVE_SDL } from '../../src/directive/schema/sdl.js';

const EXAMPLE = fileURLToPath(new URL('../../schema/example.graphql', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'gatepass-audit-'));
const file = (name: string, sdl: string): string => {
  const path = join(dir, name);
  writeFileSync(path, sdl);
  return path;
};
const OPEN_MUTATION = file('open.graphql', `${AUTH_DIRECTIVE_SDL}\ntype Query { a: String @auth }\ntype Mutation { reset: Boolean save: Boolean @auth }\n`);
const BROKEN = file('broken.graphql', 'type Query { a: String @auth(scopes: []) }');
const FLAT = file('flat.graphql', 'type Query { a: String @auth(scopes: ["x", "y"]) }');
const UNION_MUTATION = file('union.graphql', `${AUTH_DIRECTIVE_SDL}
type A @auth(scopes: [["a"]]) { a: String } type B @auth(scopes: [["b"]]) { b: String } union AB = A | B
type Query { a: A } type Mutation { create: AB }
`);

const cli = async (...argv: string[]) => {
  let stdout = '';
  let stderr = '';
  const code = await runAuditCli(argv, { stdout: (t) => { stdout += t; }, stderr: (t) => { stderr += t; } });
  return { code, stdout, stderr };
};

describe('npm run audit', () => {
  it('prints a text table of the example schema (directive SDL added)', async () => {
    const { code, stdout, stderr } = await cli(EXAMPLE);
    expect([code, stderr]).toEqual([0, '']);
    expect(stdout.split('\n').slice(0, 3)).toEqual([
      'Field                         Effective requirement                                       Anonymous  Unprotected mutation',
      '----------------------------  ----------------------------------------------------------  ---------  --------------------',
      'Query.posts                   none                                                        yes',
    ]);
    expect(stdout).toContain('User.handle                   (read:email OR read:handle) AND read:user');
    // Subscription fields are audited like the other roots.
    expect(stdout).toContain('Subscription.postAdded        none                                                        yes');
    expect(stdout).toContain('Subscription.auditEntryAdded  role admin');
  });

  it("keeps the README's audit table of the example schema current", async () => {
    const { stdout } = await cli(EXAMPLE, '--markdown');
    expect(readFileSync(fileURLToPath(new URL('../../README.md', import.meta.url)), 'utf8')).toContain(stdout);
  });

  it('prints markdown', async () => {
    const { stdout } = await cli(OPEN_MUTATION, '--markdown');
    expect(stdout).toBe([
      '| Field | Effective requirement | Anonymous | Unprotected mutation |',
      '| --- | --- | --- | --- |',
      '| `Query.a` | authenticated |  |  |',
      '| `Mutation.reset` | none | yes | yes |',
      '| `Mutation.save` | authenticated |  |  |',
      '',
    ].join('\n'));
  });

  it('prints JSON with the exact requirement', async () => {
    const { stdout } = await cli(OPEN_MUTATION, '--json');
    expect(JSON.parse(stdout)).toEqual([
      { coordinate: 'Query.a', requirement: { allOf: [{}] }, anonymousReachable: false, unprotectedMutation: false },
      { coordinate: 'Mutation.reset', requirement: { allOf: [] }, anonymousReachable: true, unprotectedMutation: true },
      { coordinate: 'Mutation.save', requirement: { allOf: [{}] }, anonymousReachable: false, unprotectedMutation: false },
    ]);
  });

  it('a mutation returning a union of guarded types is protected by any of them', async () => {
    const { code, stdout } = await cli(UNION_MUTATION, '--json', '--fail-on', 'unprotected-mutations');
    expect([code, JSON.parse(stdout).find((row: { coordinate: string }) => row.coordinate === 'Mutation.create')]).toEqual([0, {
      coordinate: 'Mutation.create',
      requirement: { allOf: [], anyOf: [{ allOf: [{ scopes: [['a']] }] }, { allOf: [{ scopes: [['b']] }] }] },
      anonymousReachable: false,
      unprotectedMutation: false,
    }]);
    expect((await cli(UNION_MUTATION)).stdout).toContain('Mutation.create  any of: a | b');
  });

  it.each([
    ['unprotected mutations found', [OPEN_MUTATION, '--fail-on', 'unprotected-mutations'], 1, '1 unprotected mutation: Mutation.reset\n'],
    ['both findings', [OPEN_MUTATION, '--fail-on', 'unprotected-mutations,anonymous-fields'], 1,
      '1 unprotected mutation: Mutation.reset\n1 field reachable anonymously: Mutation.reset\n'],
    ['the example schema has no unprotected mutation', [EXAMPLE, '--fail-on', 'unprotected-mutations'], 0, ''],
    ['deny by default closes them', [OPEN_MUTATION, '--default', 'deny', '--fail-on', 'unprotected-mutations'], 0, ''],
  ])('--fail-on: %s', async (_name, argv, code, stderr) => {
    expect(await cli(...argv)).toMatchObject({ code, stderr });
  });

  it.each([
    ['no file', [], /name at least one schema file/],
    ['unknown finding', [EXAMPLE, '--fail-on', 'everything'], /unknown finding "everything"/],
    ['two formats', [EXAMPLE, '--json', '--markdown'], /choose one of --json and --markdown/],
    ['bad policy', [EXAMPLE, '--default', 'maybe'], /--default must be allow or deny/],
    ['unknown option', [EXAMPLE, '--yaml'], /Unknown option '--yaml'/],
    ['missing file', [join(dir, 'nope.graphql')], /cannot build the schema: ENOENT/],
    ['misused @auth', [BROKEN], /Query\.a: @auth scopes: an empty list of alternatives \[\] can never be satisfied/],
  ])('exits 2 on %s', async (_name, argv, message) => {
    const { code, stderr } = await cli(...argv);
    expect(code).toBe(2);
    expect(stderr).toMatch(message);
  });

  it('prints schema warnings on stderr and still audits', async () => {
    const { code, stderr, stdout } = await cli(FLAT);
    expect(code).toBe(0);
    expect(stderr).toMatch(/^warning: Query\.a: @auth\(scopes: \["x","y"\]\) means x OR y/);
    expect(stdout).toContain('Query.a  x OR y');
  });
});
