// gatepass single-page example: Authorization Code + PKCE with oauth4webapi, tokens in memory
// only, the API called cross-origin with `Authorization: Bearer`, one refresh on a refused token,
// sign-out by revocation. No framework, no build step: served as is by `npm run spa`.
// See OAuth 2.0 for Browser-Based Apps (IETF draft) §6.3, RFC 7636 (PKCE), RFC 6750 §3
// (WWW-Authenticate), RFC 7009 (revocation).
import * as oauth from '/vendor/oauth4webapi.js';
import { config } from '/config.js';

const QUERY = `{
  viewer { subject scopes roles }
  users { name email phone }
}`;
// `offline_access` asks for a refresh token (OpenID Connect Core §11; oidc-provider grants it
// only with prompt=consent). `phone` needs read:phone as well, so it comes back denied.
const SCOPE = 'openid offline_access read:user read:email';
// Only what must survive the trip to the authorization server and back: the PKCE verifier and
// the state, removed the moment the page comes back. Never a token.
const PENDING = 'gatepass-spa:pending';

// The demo runs on loopback http; oauth4webapi refuses http unless told.
const options = { [oauth.allowInsecureRequests]: location.protocol === 'http:' };
const client = { client_id: config.clientId, id_token_signed_response_alg: 'ES256' };
const redirectUri = `${location.origin}/`;

/**
 * The access and refresh tokens: in this module's memory only. Not in localStorage,
 * sessionStorage, a cookie or the URL, so a reload signs the user out, and no other script of
 * this origin finds them lying around.
 * @type {{ access: string, refresh: string | undefined } | undefined}
 */
let tokens;

const $ = (id) => document.getElementById(id);

function log(text) {
  const item = document.createElement('li');
  item.textContent = `${new Date().toISOString().slice(11, 19)} ${text}`;
  $('log').append(item);
}

function show(state, text) {
  $('status').dataset.state = state;
  $('status').textContent = text;
  $('sign-in').hidden = state === 'signed-in' || state === 'busy';
  $('read').hidden = state !== 'signed-in';
  $('sign-out').hidden = state !== 'signed-in';
}

async function discover() {
  const issuer = new URL(config.issuer);
  return oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, options));
}

/** RFC 7636 §4.1–4.3: a fresh verifier and state per attempt, then off to the authorization server. */
async function signIn(as) {
  const verifier = oauth.generateRandomCodeVerifier();
  const state = oauth.generateRandomState();
  sessionStorage.setItem(PENDING, JSON.stringify({ verifier, state }));
  const url = new URL(as.authorization_endpoint);
  url.search = new URLSearchParams({
    client_id: client.client_id,
    redirect_uri: redirectUri,
    response_type: 'code',
    scope: SCOPE,
    prompt: 'consent',
    code_challenge: await oauth.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    state,
  }).toString();
  location.assign(url);
}

/** Back from the authorization server: check the response, swap the code for tokens. */
async function finishSignIn(as) {
  const here = new URL(location.href);
  // The code leaves the address bar and this history entry before anything else runs.
  history.replaceState(null, '', here.pathname);
  const pending = JSON.parse(sessionStorage.getItem(PENDING) ?? 'null');
  sessionStorage.removeItem(PENDING);
  if (!pending) throw new Error('no sign-in was started in this tab');
  // Checks state and the RFC 9207 `iss` parameter, throws on an error response.
  const params = oauth.validateAuthResponse(as, client, here, pending.state);
  const response = await oauth.authorizationCodeGrantRequest(as, client, oauth.None(), params, redirectUri, pending.verifier, options);
  const result = await oauth.processAuthorizationCodeResponse(as, client, response);
  keep(result);
  log(`signed in: access token for ${result.expires_in} s${result.refresh_token ? ', and a refresh token' : ''}`);
  return oauth.getValidatedIdTokenClaims(result)?.sub;
}

function keep(result) {
  // A public client's refresh token is rotated (RFC 9700 §4.14.2): keep the new one.
  tokens = { access: result.access_token, refresh: result.refresh_token ?? tokens?.refresh };
}

async function refresh(as) {
  const response = await oauth.refreshTokenGrantRequest(as, client, oauth.None(), tokens.refresh, options);
  keep(await oauth.processRefreshTokenResponse(as, client, response));
  log('refreshed: new access token (and a rotated refresh token)');
}

/**
 * Reads the API. A request-level refusal comes as 401 with `WWW-Authenticate` (RFC 6750 §3),
 * readable here because the API exposes that header to this origin (CORS): on
 * `invalid_token` ("token expired", "token revoked", …) refresh once and retry once.
 */
async function readApi(as, retried = false) {
  const headers = new Headers({ 'content-type': 'application/json', accept: 'application/json' });
  let response;
  try {
    response = await oauth.protectedResourceRequest(tokens.access, 'POST', new URL(config.api), headers, JSON.stringify({ query: QUERY }), options);
  } catch (error) {
    if (!(error instanceof oauth.WWWAuthenticateChallengeError)) throw error;
    const bearer = error.cause.find((challenge) => challenge.scheme === 'bearer')?.parameters ?? {};
    log(`API answered ${error.status}: ${bearer.error ?? 'no error code'} "${bearer.error_description ?? ''}"`);
    if (bearer.error === 'invalid_token' && !retried && tokens.refresh) {
      await refresh(as);
      return readApi(as, true);
    }
    throw new Error(`the API refused the token (${bearer.error_description ?? error.status}): sign in again`);
  }
  if (response.status === 401) {
    // A 401 whose challenge the page may not read: the API does not expose WWW-Authenticate here.
    throw new Error('the API refused the token without a readable WWW-Authenticate (check its CORS configuration)');
  }
  const body = await response.json();
  log(`API answered ${response.status}${retried ? ' (after the refresh)' : ''}: ${body.errors?.length ?? 0} field error(s)`);
  render(body);
}

/** One row per field that came back, and the denial (code, reason, requirement) where there is one. */
function render(body) {
  const denials = new Map((body.errors ?? []).map((error) => [(error.path ?? []).join('.'), error]));
  const rows = [];
  const walk = (value, path) => {
    if (value !== null && typeof value === 'object') {
      for (const [key, child] of Object.entries(value)) walk(child, [...path, key]);
    } else {
      rows.push([path.join('.'), value]);
    }
  };
  walk(body.data ?? {}, []);
  const tbody = $('fields').tBodies[0];
  tbody.replaceChildren(
    ...rows.map(([path, value]) => {
      const denial = denials.get(path);
      const row = document.createElement('tr');
      row.className = denial ? 'denied' : 'allowed';
      const outcome = denial
        ? `${denial.extensions?.code}: ${denial.message}${denial.extensions?.requirement ? `, needs ${JSON.stringify(denial.extensions.requirement)}` : ''}`
        : 'returned';
      for (const text of [path, JSON.stringify(value), outcome]) {
        const cell = document.createElement('td');
        cell.textContent = text;
        row.append(cell);
      }
      return row;
    }),
  );
}

/**
 * RFC 7009: revoke the refresh token (§2.1: the server should then drop the grant's access
 * tokens too), then the access token. A server that cannot revoke a self-contained JWT access
 * token says `unsupported_token_type` (§2.2.1); the API keeps accepting it until it expires, which
 * is why access tokens are short-lived.
 */
async function signOut(as) {
  const current = tokens;
  tokens = undefined;
  for (const [token, hint] of [[current?.refresh, 'refresh_token'], [current?.access, 'access_token']]) {
    if (!token) continue;
    const response = await oauth.revocationRequest(as, client, oauth.None(), token, { ...options, additionalParameters: { token_type_hint: hint } });
    try {
      await oauth.processRevocationResponse(response);
      log(`revoked the ${hint.replace('_', ' ')}`);
    } catch (error) {
      if (error.error !== 'unsupported_token_type') throw error;
      log(`the ${hint.replace('_', ' ')} cannot be revoked here (unsupported_token_type): it expires on its own`);
    }
  }
  $('fields').tBodies[0].replaceChildren();
  log('signed out: tokens forgotten');
  show('signed-out', 'Signed out');
}

function guard(action) {
  return () =>
    action().catch((error) => {
      // oauth4webapi's ResponseBodyError carries the OAuth error code and description.
      log(`error: ${error.message}${error.error ? ` (${error.error}: ${error.error_description ?? ''})` : ''}`);
      show(tokens ? 'signed-in' : 'error', tokens ? $('status').textContent : `Error: ${error.message}`);
    });
}

async function start() {
  $('query').textContent = QUERY;
  const as = await discover();
  $('sign-in').addEventListener('click', guard(() => signIn(as)));
  $('read').addEventListener('click', guard(() => readApi(as)));
  $('sign-out').addEventListener('click', guard(() => signOut(as)));
  const params = new URLSearchParams(location.search);
  if (params.has('code') || params.has('error')) {
    show('busy', 'Signing in…');
    const subject = await finishSignIn(as);
    show('signed-in', `Signed in as ${subject}`);
    await readApi(as);
  } else {
    show('signed-out', 'Signed out');
  }
}

guard(start)();
