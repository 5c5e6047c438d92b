import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { ApolloServerPlugin, GraphQLServerListener } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { ApolloServerPluginLandingPageLocalDefault } from '@apollo/server/plugin/landingPage/default';
import type { GatepassConfig } from '../config/config.js';
import type { DevIssuer } from '../dev/dev-issuer.js';
import { sendJson } from './http-handler.js';
import { offlineFallbackHtml } from './landing-page-fallback.js';

/** A query that shows an allowed field, a denied one and the principal at once. */
export const LANDING_PAGE_QUERY = `# Change the token's scopes with: npm run token -- --scope "read:user read:email"
query Tour {
  viewer { subject scopes roles isAdmin }
  users { id name email phone handle }
  posts { id title author { name } }
}
`;

/**
 * Apollo Sandbox as the landing page, with a plain query form for when Sandbox cannot load
 * (offline). In dev mode it opens with an `Authorization` header that holds a fresh dev token
 * (loopback only, see {@link guardLandingPage}). In production it is off unless
 * `LANDING_PAGE=true`, and then it carries no token.
 *
 * @param graphqlUrl the server's GraphQL URL, known once it listens
 */
export async function landingPagePlugin(config: GatepassConfig, devIssuer: DevIssuer | undefined, graphqlUrl: () => string): Promise<ApolloServerPlugin> {
  if (!config.landingPage) return ApolloServerPluginLandingPageDisabled();
  const token = devIssuer ? await devIssuer.mint({ sub: 'u1', scope: 'read:user', ttlSeconds: 8 * 3600, clientId: 'gatepass-landing-page' }) : undefined;
  const sandbox = ApolloServerPluginLandingPageLocalDefault({
    embed: true,
    footer: false,
    ...(token ? { document: LANDING_PAGE_QUERY, headers: { Authorization: `Bearer ${token}` } } : {}),
  });
  return {
    async serverWillStart(service) {
      const listener = (await sandbox.serverWillStart?.(service)) as GraphQLServerListener | void;
      const landingPage = await listener?.renderLandingPage?.();
      if (!landingPage) return listener;
      return {
        // Rendered per request (Apollo renders once at start, before the server has a URL).
        async renderLandingPage() {
          return {
            async html() {
              const html = typeof landingPage.html === 'string' ? landingPage.html : await landingPage.html();
              // Apollo's page allows only scripts with its per-render nonce (CSP script-src).
              const nonce = /'nonce-([^']+)'/.exec(html)?.[1] ?? '';
              const fallback = offlineFallbackHtml({ url: graphqlUrl(), token, query: token ? LANDING_PAGE_QUERY : '{ __typename }', nonce });
              return html.replace('</body>', `${fallback}</body>`);
            },
          };
        },
      };
    },
  };
}

/**
 * Guards the landing page's HTTP answer: never cached (`Cache-Control: no-store`: in dev mode it
 * holds a working token), and in dev mode served only when `Host` names the loopback address and
 * port the server bound to (or `localhost` on that port). Any other `Host` gets `403`: a page
 * whose DNS name was rebound to 127.0.0.1 would otherwise read the dev token same-origin.
 *
 * @param boundUrl the server's GraphQL URL once it listens
 * @see https://fetch.spec.whatwg.org/ (same-origin reads) and RFC 9111 §5.2.2.5 (no-store)
 */
export function guardLandingPage(config: GatepassConfig, boundUrl: () => string, listener: RequestListener): RequestListener {
  if (!config.landingPage) return listener;
  return (req: IncomingMessage, res: ServerResponse) => {
    if (!isLandingPageRequest(req, boundUrl())) return listener(req, res);
    if (config.mode === 'dev' && !isBoundHost(req.headers.host, boundUrl())) {
      return sendJson(res, 403, { error: 'the dev landing page is served on its loopback address only' });
    }
    res.setHeader('Cache-Control', 'no-store');
    listener(req, res);
  };
}

/** A browser asking for a page at the GraphQL path (Apollo answers it with the landing page). */
function isLandingPageRequest(req: IncomingMessage, boundUrl: string): boolean {
  if (req.method !== 'GET' || !(req.headers.accept ?? '').includes('text/html')) return false;
  const path = (req.url ?? '/').split('?')[0];
  return boundUrl !== '' && path === new URL(boundUrl).pathname;
}

function isBoundHost(host: string | undefined, boundUrl: string): boolean {
  if (!host) return false;
  const bound = new URL(boundUrl);
  try {
    // URL parsing normalises case and a default port the way browsers write Host.
    const asked = new URL(`${bound.protocol}//${host}`);
    return asked.host === bound.host || (asked.hostname === 'localhost' && asked.port === bound.port);
  } catch {
    return false;
  }
}
