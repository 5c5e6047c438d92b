import { mkdir } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSpaServer, type SpaConfig, type SpaServer } from '../../src/dev/spa-server.js';
import { CHROMIUM_PATH, launchChromium, NO_CHROMIUM, type TestBrowser } from '../helpers/chromium.js';
import { startStack, type Stack } from './stack.js';

// The single-page example in a real headless Chromium: it signs in through oidc-provider's real
// login and consent pages, reads the API on another origin (CORS), sees a denied field, survives
// an access token's expiry by refreshing, and signs out by revocation. A page on an origin not in
// CORS_ORIGINS gets nothing. No token is ever in storage, a script-readable cookie or a URL.
const ACCESS_TOKEN_TTL_SECONDS = 6;
const SCREENSHOT = 'test-results/spa-signed-in.png';

describe.skipIf(!CHROMIUM_PATH)(`the single-page example in Chromium${CHROMIUM_PATH ? '' : ` (${NO_CHROMIUM})`}`, () => {
  let spa: SpaServer;
  let elsewhere: SpaServer;
  let stack: Stack;
  let browser: TestBrowser;
  let page: Page;
  let config: SpaConfig | undefined;
  /** Every access and refresh token the token endpoint handed the page. */
  const issued: string[] = [];
  /** Every URL the page requested or navigated to. */
  const urls: string[] = [];

  beforeAll(async () => {
    // The pages first: the authorization server registers the SPA's redirect URI on its origin.
    spa = await startSpaServer({ port: 0, config: () => config! });
    elsewhere = await startSpaServer({ port: 0, config: () => config! });
    stack = await startStack({
      accessTokenTtlSeconds: ACCESS_TOKEN_TTL_SECONDS,
      spaOrigin: spa.origin,
      // No clock tolerance: the short-lived token is refused as soon as it expires.
      env: { CORS_ORIGINS: spa.origin, AUTH_CLOCK_TOLERANCE: '0' },
    });
    config = { issuer: stack.as.issuer, api: stack.url };
    browser = await launchChromium();
    page = browser.context.pages()[0] ?? (await browser.context.newPage());
    page.on('request', (request) => urls.push(request.url()));
    page.on('framenavigated', (frame) => urls.push(frame.url()));
    page.on('response', async (response) => {
      if (new URL(response.url()).pathname !== '/token' || response.request().method() !== 'POST') return;
      const body = (await response.json().catch(() => ({}))) as { access_token?: string; refresh_token?: string };
      for (const token of [body.access_token, body.refresh_token]) if (token) issued.push(token);
    });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await stack?.close();
    await spa?.close();
    await elsewhere?.close();
  });

  const status = () => page.locator('#status');
  const log = () => page.locator('#log');

  it('signs in with the authorization code flow + PKCE and reads the API cross-origin, a denied field explained', async () => {
    await page.goto(`${spa.origin}/`);
    await expectText(status(), 'Signed out');
    await page.click('#sign-in');
    // oidc-provider's sign-in and consent pages (src/dev/idp-interactions.ts), for real.
    await page.waitForURL(`${stack.as.issuer}/interaction/**`);
    await page.fill('input[name=username]', 'bob');
    await page.fill('input[name=password]', 'bob-pass');
    await page.click('button');
    await expectText(page.locator('body'), 'gatepass-spa asks for');
    await page.click('button[name=consent]');
    await expectText(status(), 'Signed in as u2');
    await expectText(log(), 'API answered 200: 3 field error(s)');

    expect(await fieldRows(page)).toEqual([
      ['viewer.subject', '"u2"', 'returned'],
      // The API's scopes only: openid and offline_access go to the ID token and the grant.
      ['viewer.scopes.0', '"read:user"', 'returned'],
      ['viewer.scopes.1', '"read:email"', 'returned'],
      ['viewer.roles.0', '"moderator"', 'returned'],
      ...['alice', 'bob', 'carol'].flatMap((name, i) => [
        [`users.${i}.name`, `"${name}"`, 'returned'],
        [`users.${i}.email`, `"${name}@example.com"`, 'returned'],
        [`users.${i}.phone`, 'null', 'FORBIDDEN: not authorized, needs {"allOf":[{"scopes":[["read:email","read:phone"]]},{"scopes":[["read:user"]]}]}'],
      ]),
    ]);
    expect(new URL(page.url()).search, 'the code is gone from the address bar').toBe('');
    await mkdir('test-results', { recursive: true });
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
    await expectNoTokenLeft(page);
  });

  it('refreshes once on 401 invalid_token "token expired" and retries', async () => {
    const access = issued.at(-2)!;
    const exp = (JSON.parse(Buffer.from(access.split('.')[1]!, 'base64url').toString()) as { exp: number }).exp;
    // Bounded wait for the access token to expire (TTL seconds + 1).
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, exp * 1000 - Date.now()) + 1_100));
    const before = issued.length;
    await page.click('#read');
    await expectText(log(), 'API answered 200 (after the refresh)');
    const lines = await log().locator('li').allTextContents();
    expect(lines.slice(-3).map((line) => line.slice(9))).toEqual([
      'API answered 401: invalid_token "token expired"',
      'refreshed: new access token (and a rotated refresh token)',
      'API answered 200 (after the refresh): 3 field error(s)',
    ]);
    expect(issued.length, 'a new access token and a rotated refresh token').toBe(before + 2);
    await expectNoTokenLeft(page);
  });

  it('signs out by revoking (RFC 7009): the refresh token no longer works', async () => {
    const refreshToken = issued.at(-1)!;
    const revocations: number[] = [];
    page.on('response', (response) => {
      if (new URL(response.url()).pathname === '/token/revocation') revocations.push(response.status());
    });
    await page.click('#sign-out');
    await expectText(status(), 'Signed out');
    // oidc-provider revokes the refresh token; a JWT access token it cannot (RFC 7009 §2.2.1).
    expect(revocations).toEqual([200, 400]);
    const lines = await log().locator('li').allTextContents();
    expect(lines.slice(-3).map((line) => line.slice(9))).toEqual([
      'revoked the refresh token',
      'the access token cannot be revoked here (unsupported_token_type): it expires on its own',
      'signed out: tokens forgotten',
    ]);
    const res = await fetch(`${stack.as.issuer}/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'refresh_token', client_id: 'gatepass-spa', refresh_token: refreshToken }),
    });
    expect({ status: res.status, error: ((await res.json()) as { error: string }).error }).toEqual({ status: 400, error: 'invalid_grant' });
    expect(await page.locator('#fields tbody tr').count()).toBe(0);
  });

  it.each<[string, RequestInit]>([
    ['a bearer request (preflighted)', { method: 'POST', headers: { authorization: 'Bearer x', 'content-type': 'application/json' }, body: '{"query":"{ __typename }"}' }],
    ['a simple request (no preflight)', { method: 'POST', headers: { 'content-type': 'text/plain' }, body: '{"query":"{ __typename }"}' }],
  ])('a page on an origin not in CORS_ORIGINS gets nothing: %s', async (_name, init) => {
    const api = stack.url;
    await page.goto(`${elsewhere.origin}/`);
    const outcome = await page.evaluate(
      async ([url, request]) => fetch(url, request).then((res) => `read ${res.status}`, (error: Error) => `${error.name}: ${error.message}`),
      [api, init] as const,
    );
    expect(outcome).toBe('TypeError: Failed to fetch');
    // The same request from the listed origin is readable: the refusal is the origin's.
    await page.goto(`${spa.origin}/`);
    const allowed = await page.evaluate(async ([url, request]) => fetch(url, request).then((res) => `read ${res.status}`), [api, init] as const);
    expect(allowed).toMatch(/^read \d{3}$/);
  });

  /** No token in web storage, a script-readable cookie, any URL requested, or the history. */
  async function expectNoTokenLeft(current: Page): Promise<void> {
    expect(issued.length).toBeGreaterThan(0);
    // Page code as a string: the test's TypeScript has no DOM library.
    const storage = await current.evaluate('({ local: JSON.stringify({ ...localStorage }), session: JSON.stringify({ ...sessionStorage }), cookie: document.cookie })');
    expect(storage).toEqual({ local: '{}', session: '{}', cookie: '' });
    const readableCookies = (await browser.context.cookies()).filter((cookie) => !cookie.httpOnly);
    const cdp = await browser.context.newCDPSession(current);
    const history = (await cdp.send('Page.getNavigationHistory')).entries.map((entry) => entry.url);
    await cdp.detach();
    expect(history.filter((url) => /[?&#](code|access_token|refresh_token)=/.test(url))).toEqual([]);
    const places = [...urls, ...history, ...readableCookies.map((cookie) => cookie.value)];
    for (const token of issued) expect(places.filter((place) => place.includes(token))).toEqual([]);
  }
});

async function expectText(locator: ReturnType<Page['locator']>, text: string): Promise<void> {
  await locator.filter({ hasText: text }).first().waitFor({ state: 'visible' });
}

async function fieldRows(page: Page): Promise<string[][]> {
  return page.locator('#fields tbody tr').evaluateAll((rows) => rows.map((row) => [...row.children].map((cell) => cell.textContent ?? '')));
}
