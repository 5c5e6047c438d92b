/**
 * A real headless Chromium for browser tests: Debian's `chromium` package (CI installs it; see
 * .ci/run), driven by playwright-core, in a fresh profile that is deleted afterwards. Tests skip
 * with a clear message where no `chromium` is on the PATH.
 */
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';

/** The `chromium` found on the PATH, or undefined. */
export const CHROMIUM_PATH: string | undefined = spawnSync('sh', ['-c', 'command -v chromium'], { encoding: 'utf8' }).stdout.trim() || undefined;

/** Why browser tests are skipped, for `describe.skipIf(...)` titles. */
export const NO_CHROMIUM = 'skipped: no `chromium` on the PATH (apt-get install -y chromium)';

// Quiet and local: no background fetches, updates, sync or QUIC to anywhere but the test's own
// loopback servers; no sandbox (CI runs as root in a container).
const FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** A browser with a fresh profile; `close()` ends it and deletes the profile. */
export interface TestBrowser {
  readonly context: BrowserContext;
  close(): Promise<void>;
}

/** Launches headless Chromium (`--headless`) with a new `--user-data-dir`. */
export async function launchChromium(): Promise<TestBrowser> {
  if (!CHROMIUM_PATH) throw new Error(NO_CHROMIUM);
  const profile = await mkdtemp(join(tmpdir(), 'gatepass-chromium-'));
  const context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM_PATH, headless: true, args: FLAGS, timeout: 30_000 });
  context.setDefaultTimeout(10_000);
  return {
    context,
    async close() {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}
