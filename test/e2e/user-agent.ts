/**
 * The end-user's browser, reduced to what the authorization code flow needs: follow redirects,
 * keep cookies, fill in the sign-in and consent forms of the demo authorization server, and stop
 * at the client's redirect URI with the authorization response in it.
 * @see RFC 6749 §4.1.1–§4.1.2 (authorization request and response)
 */

/** The demo user who signs in. */
export interface Credentials {
  readonly username: string;
  readonly password: string;
  /** The demo one-time code: a multi-factor login (`acr` mfa) when given. */
  readonly otp?: string;
}

const MAX_STEPS = 12;
const STEP_TIMEOUT_MS = 5_000;

/**
 * Walks from the authorization URL through sign-in and consent to the redirect URI; resolves
 * that URL (with `code`, `state` and `iss`, RFC 9207) for the client library to check.
 *
 * @example
 * ```ts
 * const callback = await signInAndConsent(buildAuthorizationUrl(config, params), alice, redirectUri);
 * const tokens = await authorizationCodeGrant(config, callback, { pkceCodeVerifier, expectedState });
 * ```
 */
export async function signInAndConsent(authorizationUrl: URL, credentials: Credentials, redirectUri: string): Promise<URL> {
  const cookies = new Map<string, string>();
  let url = authorizationUrl;
  let form: URLSearchParams | undefined;
  for (let step = 0; step < MAX_STEPS; step += 1) {
    if (url.hostname !== '127.0.0.1') throw new Error(`the user agent talks to loopback only, not ${url.hostname}`);
    const res = await fetch(url, {
      method: form ? 'POST' : 'GET',
      redirect: 'manual',
      signal: AbortSignal.timeout(STEP_TIMEOUT_MS),
      headers: {
        cookie: [...cookies].map(([name, value]) => `${name}=${value}`).join('; '),
        ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
      },
      ...(form ? { body: form.toString() } : {}),
    });
    // Cookies are kept by name only: every one of them belongs to this one loopback origin.
    for (const cookie of res.headers.getSetCookie()) {
      const [pair = ''] = cookie.split(';');
      const eq = pair.indexOf('=');
      cookies.set(pair.slice(0, eq), pair.slice(eq + 1));
    }
    const location = res.headers.get('location');
    if (res.status >= 300 && res.status < 400 && location) {
      await res.body?.cancel();
      const next = new URL(location, url);
      if (`${next.origin}${next.pathname}` === redirectUri) return next;
      url = next;
      form = undefined;
      continue;
    }
    const html = await res.text();
    if (res.status !== 200) throw new Error(`authorization server answered ${res.status}: ${html.slice(0, 300)}`);
    form = fill(html, credentials);
  }
  throw new Error(`no redirect to ${redirectUri} within ${MAX_STEPS} steps`);
}

/** Which page is this, and what does the user submit on it? */
function fill(html: string, credentials: Credentials): URLSearchParams {
  if (html.includes('name="password"')) return new URLSearchParams({ username: credentials.username, password: credentials.password, ...(credentials.otp ? { otp: credentials.otp } : {}) });
  if (html.includes('name="consent"')) return new URLSearchParams({ consent: 'yes' });
  throw new Error(`unexpected page: ${html.slice(0, 300)}`);
}
