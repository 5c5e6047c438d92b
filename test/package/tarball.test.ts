/**
 * The package as a user gets it: `npm pack` (prepack builds dist/), then a fresh project in a
 * temp directory outside the repository installs the tarball from the file with npm, compiles
 * the README's Apollo and Yoga examples against the installed declarations with tsc, runs the
 * compiled JavaScript on this Node (no TypeScript loader), and runs the `gatepass` bin. The Yoga
 * example runs again after `@apollo/server` is uninstalled: `gatepass/yoga` must not need it.
 *
 * Slow by nature (pack ≈ 15 s, install ≈ 15 s with a warm npm cache, tsc ≈ 10 s, four npx runs):
 * ≈ 60 s alone, ≈ 110 s inside the full suite on a busy 2-core machine.
 */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { README_EXAMPLES, checkReadmeServer, readmeExample } from '../helpers/readme-examples.js';
import { startTestIssuer, type TestIssuer } from '../helpers/test-issuer.js';

const run = promisify(execFile);
const REPO = new URL('../../', import.meta.url).pathname;
const TSC = join(REPO, 'node_modules/typescript/bin/tsc');
/** What the fresh project installs beside the tarball: the versions this repository tests with. */
const PEERS = ['@apollo/server', 'graphql', 'graphql-yoga', '@graphql-tools/schema', '@types/node'];

let issuer: TestIssuer;
let dir: string;
let app: string;
let packed: { filename: string; files: Array<{ path: string }> };

async function installedVersion(name: string): Promise<string> {
  return (JSON.parse(await readFile(join(REPO, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;
}

/** npm in the fresh project; `--prefer-offline` reuses the npm cache, the registry is asked otherwise. */
function npm(args: readonly string[], cwd: string) {
  return run('npm', [...args], { cwd, env: { ...process.env, npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false' }, maxBuffer: 16 * 1024 * 1024 });
}

beforeAll(async () => {
  issuer = await startTestIssuer();
  dir = await mkdtemp(join(tmpdir(), 'gatepass-package-'));
  app = join(dir, 'app');
  const { stdout } = await npm(['pack', '--json', '--pack-destination', dir], REPO);
  packed = (JSON.parse(stdout.slice(stdout.indexOf('['))) as Array<typeof packed>)[0]!;

  await mkdir(app);
  await writeFile(join(app, 'package.json'), JSON.stringify({ name: 'fresh-app', private: true, type: 'module' }));
  const peers = await Promise.all(PEERS.map(async (name) => `${name}@${await installedVersion(name)}`));
  await npm(['install', '--prefer-offline', join(dir, packed.filename), ...peers], app);

  // The README examples, compiled by tsc against the installed package's declarations.
  for (const { section, name } of README_EXAMPLES) await writeFile(join(app, `${name}.ts`), await readmeExample(section));
  await writeFile(join(app, 'tsconfig.json'), JSON.stringify({
    compilerOptions: { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, types: ['node'], outDir: 'dist', skipLibCheck: true },
    include: ['*.ts'],
  }));
  await run(process.execPath, [TSC, '-p', app]).catch((error: { stdout?: string }) => {
    throw new Error(`tsc failed in the fresh project:\n${error.stdout ?? String(error)}`);
  });
}, 150_000);

afterAll(async () => {
  await issuer?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('npm pack', () => {
  it('holds compiled ESM, declarations, the bin and the SDL, and no tests, benches or sources', () => {
    const paths = packed.files.map((file) => file.path);
    expect(paths).toEqual(expect.arrayContaining([
      'package.json', 'README.md', 'dist/index.js', 'dist/index.d.ts', 'dist/yoga.js', 'dist/yoga.d.ts', 'dist/cli/gatepass.js', 'schema/auth.graphql',
    ]));
    expect(paths.filter((path) => !/^(dist\/.+\.(js|d\.ts)|schema\/.+\.graphql|package\.json|README\.md)$/.test(path))).toEqual([]);
    // The dev-only authorization server needs oidc-provider, which is not a dependency.
    expect(paths.filter((path) => /test|bench|idp/.test(path))).toEqual([]);
  });
});

describe('a fresh project that installed the tarball', () => {
  it.each(README_EXAMPLES)('runs the README $name example, compiled', async ({ name }) => {
    await checkReadmeServer([join(app, 'dist', `${name}.js`)], issuer, app);
  });

  it('runs npx gatepass audit and token from compiled JavaScript', async () => {
    const audit = await run('npx', ['--no-install', 'gatepass', 'audit', 'node_modules/gatepass/schema/example.graphql', '--markdown'], { cwd: app });
    expect(audit.stdout).toContain('| `Query.me` | read:user |  |  |');
    const env = { ...process.env, GATEPASS_DEV_KEY_DIR: join(dir, 'keys') };
    const minted = await run('npx', ['--no-install', 'gatepass', 'token', '--sub', 'u1', '--scope', 'read:user'], { cwd: app, env });
    expect(minted.stdout.trim()).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    const inspected = await run('npx', ['--no-install', 'gatepass', 'token', 'inspect', minted.stdout.trim()], { cwd: app, env });
    expect(inspected.stdout).toContain('scopes:  read:user');
    const unknown = await run('npx', ['--no-install', 'gatepass', 'deploy'], { cwd: app }).catch((error: { code: number; stderr: string }) => error);
    expect(unknown).toMatchObject({ code: 2, stderr: expect.stringContaining('unknown command "deploy"') });
  }, 60_000);

  it('runs the Yoga example without @apollo/server installed', async () => {
    await npm(['uninstall', '--offline', '@apollo/server'], app);
    await expect(run(process.execPath, ['-e', "import('@apollo/server').then(() => process.exit(1), () => process.exit(0))"], { cwd: app })).resolves.toBeDefined();
    await checkReadmeServer([join(app, 'dist', 'yoga.js')], issuer, app);
  }, 60_000);
});
