/** The operation the banner's `curl` sends unless told otherwise: the example API's. */
const EXAMPLE_QUERY = '{ viewer { subject scopes } users { name email phone } }';

/**
 * The dev-mode startup banner: loud about dev mode, with the GraphQL URL and a `curl` command
 * that works as pasted (sending `query`, which must hold no single quote).
 */
export function devBanner(graphqlUrl: string, token: string, query: string = EXAMPLE_QUERY): string {
  const rule = '='.repeat(78);
  return [
    rule,
    ' gatepass DEV MODE: tokens are signed by an embedded dev issuer (keys in .gatepass/).',
    ' Never use this in production: set AUTH_ISSUER and AUTH_AUDIENCE there.',
    rule,
    ` GraphQL:  ${graphqlUrl}`,
    ' Mint a token:  npm run token -- --sub u1 --scope "read:user read:email" --role moderator --ttl 300',
    ' Try it (token valid 1 hour, scopes read:user read:email):',
    '',
    `   curl -s ${graphqlUrl} -H 'content-type: application/json' \\`,
    `     -H 'authorization: Bearer ${token}' \\`,
    `     -d '${JSON.stringify({ query })}'`,
    rule,
    '',
  ].join('\n');
}
