/**
 * The demo authorization server's end-user steps: a sign-in form that checks the demo
 * passwords, and a consent form. oidc-provider ships none it allows in earnest (its
 * devInteractions take any password), so these are the minimal real ones.
 * @see oidc-provider "User flows": interactionDetails / interactionFinished
 */
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { Provider } from 'oidc-provider';
import { DEMO_OTP, type DemoAccount } from './demo-accounts.js';

const INTERACTION_PATH = /^\/interaction\/([\w-]+)$/;

/** Where the provider sends the user agent for interaction `uid`. */
export function interactionUrl(uid: string): string {
  return `/interaction/${uid}`;
}

/**
 * A request listener serving the interaction pages and handing everything else to the
 * provider. `current` is read per request, so a provider swapped in (key rotation) takes over
 * on the same port without dropping sessions (the memory adapter is shared per process).
 *
 * @example
 * ```ts
 * createServer(createIdpRequestListener(() => provider, DEMO_ACCOUNTS)).listen(4400, '127.0.0.1');
 * ```
 */
export function createIdpRequestListener(current: () => Provider, accounts: readonly DemoAccount[]): RequestListener {
  return (req, res) => {
    const provider = current();
    const match = INTERACTION_PATH.exec(new URL(req.url ?? '/', 'http://x').pathname);
    if (!match) return void provider.callback()(req, res);
    interact(provider, accounts, req, res).catch((error: unknown) => {
      if (!res.headersSent) page(res, 400, 'Error', `<p>${escape(error instanceof Error ? error.message : 'failed')}</p>`);
    });
  };
}

async function interact(provider: Provider, accounts: readonly DemoAccount[], req: IncomingMessage, res: ServerResponse): Promise<void> {
  const { uid, prompt, params, session, grantId } = await provider.interactionDetails(req, res);
  const form = req.method === 'POST' ? new URLSearchParams(await readBody(req)) : undefined;
  if (prompt.name === 'login') {
    if (!form) return loginPage(res, uid, '');
    const account = accounts.find((a) => a.username === form.get('username') && a.password === form.get('password'));
    if (!account) return loginPage(res, uid, 'Unknown username or wrong password.');
    // The optional second factor decides the login's strength (RFC 9470 step-up: acr_values=mfa).
    const mfa = form.get('otp') === DEMO_OTP;
    const login = { accountId: account.sub, acr: mfa ? 'mfa' : 'pwd', amr: mfa ? ['pwd', 'otp'] : ['pwd'] };
    return provider.interactionFinished(req, res, { login }, { mergeWithLastSubmission: false });
  }
  if (prompt.name !== 'consent') return page(res, 501, 'Not implemented', `<p>prompt ${escape(prompt.name)}</p>`);
  if (!form) {
    const scope = escape(String(params.scope ?? ''));
    return page(res, 200, 'Authorize', `<p>${escape(String(params.client_id))} asks for: <code>${scope}</code></p>
<form method="post"><button name="consent" value="yes">Authorize</button></form>`);
  }
  // Grant what the provider reports as missing, as oidc-provider's own dev consent does.
  const details = prompt.details as { missingOIDCScope?: string[]; missingOIDCClaims?: string[]; missingResourceScopes?: Record<string, string[]> };
  const grant = grantId ? await provider.Grant.find(grantId) : new provider.Grant({ accountId: session?.accountId, clientId: String(params.client_id) });
  if (!grant) throw new Error('grant not found');
  if (details.missingOIDCScope) grant.addOIDCScope(details.missingOIDCScope.join(' '));
  if (details.missingOIDCClaims) grant.addOIDCClaims(details.missingOIDCClaims);
  for (const [indicator, scopes] of Object.entries(details.missingResourceScopes ?? {})) grant.addResourceScope(indicator, scopes.join(' '));
  await provider.interactionFinished(req, res, { consent: { grantId: await grant.save() } }, { mergeWithLastSubmission: true });
}

function loginPage(res: ServerResponse, uid: string, error: string): void {
  page(res, error ? 401 : 200, 'Sign in', `${error ? `<p>${escape(error)}</p>` : ''}
<form method="post" action="${interactionUrl(uid)}">
<input name="username" placeholder="alice" autofocus> <input name="password" type="password" placeholder="alice-pass">
<input name="otp" placeholder="one-time code (${DEMO_OTP}) for mfa" autocomplete="one-time-code">
<button>Sign in</button></form>`);
}

function page(res: ServerResponse, status: number, title: string, body: string): void {
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
  res.end(`<!doctype html><title>${title}</title><h1>${title}</h1>${body}`);
}

async function readBody(req: IncomingMessage): Promise<string> {
  let body = '';
  for await (const chunk of req) {
    body += String(chunk);
    if (body.length > 8192) throw new Error('form too large');
  }
  return body;
}

function escape(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
