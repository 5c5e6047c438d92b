import type { ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { ApolloServerPluginLandingPageLocalDefault } from '@apollo/server/plugin/landingPage/default';
import type { GatepassConfig } from '../config/config.js';
import type { DevIssuer } from '../dev/dev-issuer.js';

/** A query that shows an allowed field, a denied one and the principal at once. */
export const LANDING_PAGE_QUERY = `# Change the token's scopes with: npm run token -- --scope "read:user read:email"
query Tour {
  viewer { subject scopes roles isAdmin }
  users { id name email phone handle }
  posts { id title author { name } }
}
`;

/**
 * Apollo Sandbox as the landing page. In dev mode it opens with an `Authorization` header that
 * holds a fresh dev token (loopback only; the token is a dev issuer's). In production it is off
 * unless `LANDING_PAGE=true`, and then it carries no token.
 */
export async function landingPagePlugin(config: GatepassConfig, devIssuer: DevIssuer | undefined): Promise<ApolloServerPlugin> {
  if (!config.landingPage) return ApolloServerPluginLandingPageDisabled();
  if (!devIssuer) return ApolloServerPluginLandingPageLocalDefault({ embed: true, footer: false });
  const token = await devIssuer.mint({ sub: 'u1', scope: 'read:user', ttlSeconds: 8 * 3600, clientId: 'gatepass-landing-page' });
  return ApolloServerPluginLandingPageLocalDefault({
    embed: true,
    footer: false,
    document: LANDING_PAGE_QUERY,
    headers: { Authorization: `Bearer ${token}` },
  });
}
