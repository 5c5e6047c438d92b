import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load-config.js';
import { createServer, type GatepassServer } from '../../src/server/app.js';
import { exampleServerSchema } from '../../src/example/build-example-schema.js';
import { CHROMIUM_PATH, launchChromium, NO_CHROMIUM, type TestBrowser } from '../helpers/chromium.js';

// Offline, Apollo Sandbox (loaded from a CDN) cannot start: the dev landing page then shows its
// own query form, which posts to the API with the dev token and needs no other network.
describe.skipIf(!CHROMIUM_PATH)(`the dev landing page offline, in Chromium${CHROMIUM_PATH ? '' : ` (${NO_CHROMIUM})`}`, () => {
  let keyDir: string;
  let server: GatepassServer;
  let url: string;
  let browser: TestBrowser;
  beforeAll(async () => {
    keyDir = await mkdtemp(join(tmpdir(), 'gatepass-landing-browser-'));
    server = await createServer(loadConfig({ PORT: '0', LOG_LEVEL: 'silent', GATEPASS_DEV_KEY_DIR: keyDir }), { schema: exampleServerSchema });
    url = await server.listen();
    browser = await launchChromium();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await rm(keyDir, { recursive: true, force: true });
  });

  it('shows the fallback form, whose query runs with the dev token', async () => {
    const page = await browser.context.newPage();
    // Offline: everything but the API itself fails (the CDN, fonts).
    const origin = new URL(url).origin;
    await page.route('**/*', (route) => (route.request().url().startsWith(origin) ? route.continue() : route.abort('internetdisconnected')));
    await page.goto(url);
    await page.locator('#gatepass-offline').waitFor({ state: 'visible' });
    await page.fill('#gatepass-form textarea', '{ viewer { subject scopes } }');
    await page.click('#gatepass-form button');
    await page.locator('#gatepass-result').filter({ hasText: 'subject' }).waitFor();
    const [status, ...body] = (await page.locator('#gatepass-result').textContent())!.split('\n');
    expect({ status, body: JSON.parse(body.join('\n')) }).toEqual({ status: '200', body: { data: { viewer: { subject: 'u1', scopes: ['read:user'] } } } });
    await page.close();
  });
});
