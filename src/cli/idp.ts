import { createHash, randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import { createIdpRequestListener } from '../dev/idp-interactions.js';
import { DEMO_ACCOUNTS, DEMO_CLIENTS, DEMO_OTP, DEMO_RESOURCE } from '../dev/demo-accounts.js';
import { createIdpProvider, generateSigningKey } from '../dev/idp-provider.js';

/**
 * `npm run idp`: a local development authorization server (panva's oidc-provider) for the
 * example API, on 127.0.0.1 only. Demo users, demo clients, demo passwords; signing keys are
 * made at every start, so its tokens do not outlive it. Never a production identity provider.
 *
 * `IDP_PORT` (default 4400) picks the port; `IDP_ACCESS_TOKEN_FORMAT=opaque` issues opaque
 * access tokens that the API checks by RFC 7662 introspection; `SPA_ORIGIN` (default
 * http://127.0.0.1:4500) is where `npm run spa` serves the browser client `gatepass-spa`.
 */
async function main(): Promise<void> {
  const port = Number(process.env.IDP_PORT ?? 4400);
  if (!Number.isSafeInteger(port) || port < 0 || port > 65535) {
    process.stderr.write(`gatepass idp: IDP_PORT "${process.env.IDP_PORT}" is not a port number (0-65535)\n`);
    process.exit(78); // EX_CONFIG
  }
  const format = process.env.IDP_ACCESS_TOKEN_FORMAT === 'opaque' ? 'opaque' : 'jwt';
  const spaOrigin = process.env.SPA_ORIGIN ?? DEMO_CLIENTS.spa.origin;
  const host = '127.0.0.1';
  let provider: ReturnType<typeof createIdpProvider> | undefined;
  const server = createServer(createIdpRequestListener(() => provider!, DEMO_ACCOUNTS));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const address = server.address();
  const issuer = `http://${host}:${typeof address === 'object' && address ? address.port : port}`;
  provider = createIdpProvider({ issuer, keys: [await generateSigningKey()], accessTokenFormat: format, accessTokenTtlSeconds: 600, spaOrigin });
  process.stdout.write(banner(issuer, format, spaOrigin));

  const stop = () => server.close(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

/** What to copy: the API's environment, a client credentials curl, a PKCE flow by hand. */
function banner(issuer: string, format: 'jwt' | 'opaque', spaOrigin: string): string {
  const { app, spa, service, api } = DEMO_CLIENTS;
  // RFC 7636 §4.1–§4.2: one verifier/challenge pair, printed so the flow can be done by hand.
  const verifier = randomBytes(32).toString('base64url');
  const challenge = createHash('sha256').update(verifier).digest('base64url');
  const authorize = new URL('/auth', issuer);
  authorize.search = new URLSearchParams({
    client_id: app.clientId,
    response_type: 'code',
    redirect_uri: app.redirectUri,
    scope: 'openid offline_access read:user read:email',
    resource: DEMO_RESOURCE,
    prompt: 'consent',
    code_challenge: challenge,
    code_challenge_method: 'S256',
  }).toString();
  const introspection = format === 'opaque'
    ? ` \\\n  AUTH_INTROSPECTION_URI=${issuer}/token/introspection AUTH_INTROSPECTION_CLIENT_ID=${api.clientId} AUTH_INTROSPECTION_CLIENT_SECRET=${api.clientSecret}`
    : '';
  const users = DEMO_ACCOUNTS.map((a) => `  ${a.username} / ${a.password}`.padEnd(26) + `sub ${a.sub}, ${a.roles.length ? `roles: ${a.roles.join(', ')}` : 'no role'}`);
  return `
gatepass demo authorization server (oidc-provider) - DEVELOPMENT ONLY, demo passwords
  issuer      ${issuer}   (discovery: ${issuer}/.well-known/openid-configuration)
  resource    ${DEMO_RESOURCE}   (RFC 8707 resource indicator = the API's audience)
  tokens      ${format === 'jwt' ? 'RFC 9068 JWT access tokens (ES256)' : 'opaque access tokens, checked by introspection'}, 10 minutes

Users (sign-in form):
${users.join('\n')}
  one-time code ${DEMO_OTP} on the sign-in form makes it a multi-factor login (acr mfa; else pwd)

Clients:
  ${app.clientId}       public, authorization code + PKCE (S256), redirect ${app.redirectUri} (any port)
  ${spa.clientId}       public browser app (npm run spa), code + PKCE, redirect ${spaOrigin}/ (SPA_ORIGIN)
  ${service.clientId}   confidential, client credentials, secret ${service.clientSecret}
  ${api.clientId}       the API's own client for introspection, secret ${api.clientSecret}

Start the API against it (another terminal):
  AUTH_ISSUER=${issuer} AUTH_AUDIENCE=${DEMO_RESOURCE}${introspection} npm start

A client credentials token, then a query:
  TOKEN=$(curl -s -u ${service.clientId}:${service.clientSecret} -d grant_type=client_credentials \\
    --data-urlencode 'scope=read:user read:email' --data-urlencode resource=${DEMO_RESOURCE} ${issuer}/token \\
    | node -pe 'JSON.parse(require("fs").readFileSync(0, "utf8")).access_token')
  curl -s http://127.0.0.1:4000/graphql -H "authorization: Bearer $TOKEN" -H 'content-type: application/json' \\
    -d '{"query":"{ viewer { subject scopes clientId } users { name email } }"}'

A user's token by hand (authorization code + PKCE): open this URL, sign in as alice, copy the
code from the address bar the browser lands on (nothing listens there), then exchange it:
  ${authorize.href}
  curl -s -d grant_type=authorization_code -d client_id=${app.clientId} -d redirect_uri=${app.redirectUri} \\
    -d code_verifier=${verifier} -d code=PASTE_CODE ${issuer}/token
`;
}

await main();
