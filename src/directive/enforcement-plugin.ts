/**
 * `authEnforcementPlugin`: the Apollo Server side of the enforcement modes.
 *
 * - `operation`: before anything executes, the operation is walked with the field guards' own
 *   plan; if any selected field would be denied, nothing runs and the answer is RFC 6750's:
 *   401 + `WWW-Authenticate: Bearer` without a principal, else 403 + `Bearer
 *   error="insufficient_scope", scope="…"` naming every scope the operation needs, with one
 *   GraphQL error per denied path. In a batch, only that operation is refused, in the body: the
 *   HTTP status and headers are the whole batch's, and the other operations may have run.
 * - `dry-run`: the would-be denials the guards recorded are reported in the response's
 *   `extensions.authDryRun` (not in `errors`, so clients keep working), each operation of a
 *   batch its own.
 * - `field`: nothing to add (the guards do it all).
 *
 * @see RFC 6750 §3 (challenge, `scope`), §3.1 (`insufficient_scope` → 403); RFC 9728 §5.1
 */
import { HeaderMap, type ApolloServerPlugin, type GraphQLRequestContext, type GraphQLRequestListener, type GraphQLResponse } from '@apollo/server';
import type { Logger } from 'pino';
import type { DefaultPolicy, EnforcementMode } from '../config/config.js';
import type { ChallengeOptions } from '../http-failure.js';
import type { AuthContext } from './request/auth-context.js';
import { readDryRunDenials } from './request/dry-run-denials.js';
import { refuseOperation } from './request/operation-refusal.js';
import { enforcementResolver, warnIfDryRunDisagrees } from './enforcement-settings.js';

/** Options of {@link authEnforcementPlugin}. */
export interface AuthEnforcementPluginOptions {
  /** @default the `mode` the schema was transformed with ('field' for other schemas) */
  readonly mode?: EnforcementMode;
  /** Challenge parameters, e.g. `resourceMetadata` (RFC 9728 §5.1); read per request. */
  readonly challenge?: ChallengeOptions;
  /** Where refused operations are logged. @default the transformer's logger */
  readonly logger?: Logger;
  /** Only for a schema `authDirectiveTransformer` did not return: its default policy. @default 'allow' */
  readonly defaultPolicy?: DefaultPolicy;
}

/**
 * Creates the plugin. Use it with a schema returned by `authDirectiveTransformer` (it reads that
 * schema's plan and settings). List it before any plugin that answers operations itself (a
 * response cache), so that a refused operation is refused first.
 *
 * @example
 * ```ts
 * const schema = authDirectiveTransformer(base, { mode: 'operation' });
 * const server = new ApolloServer<AuthContext>({ schema, plugins: [authEnforcementPlugin({ mode: 'operation' })] });
 * ```
 * @see RFC 6750 §3.1
 */
export function authEnforcementPlugin(options: AuthEnforcementPluginOptions = {}): ApolloServerPlugin<AuthContext> {
  const settingsOf = enforcementResolver(options);

  const requestDidStart = async ({ schema }: GraphQLRequestContext<AuthContext>): Promise<GraphQLRequestListener<AuthContext> | void> => {
    const settings = settingsOf(schema);
    if (settings.mode === 'dry-run') {
      return {
        async willSendResponse({ response, contextValue }) {
          // The operation's own context object: a batch's operations share one decision memo.
          const { denials, omitted } = readDryRunDenials(contextValue);
          if (denials.length === 0) return;
          const report = { authDryRun: denials, ...(omitted > 0 ? { authDryRunOmitted: omitted } : {}) };
          const result = response.body.kind === 'single' ? response.body.singleResult : response.body.initialResult;
          result.extensions = { ...result.extensions, ...report };
        },
      };
    }
    // `field`: no listener at all. Apollo calls every hook of every listener it is given, each
    // through an async call, so even an empty listener costs every request.
    if (settings.mode !== 'operation') return undefined;
    let refusal: GraphQLResponse | null = null;
    return {
      async didResolveOperation({ document, request, contextValue, operationName, requestIsBatched }) {
        const refused = refuseOperation({
          schema,
          plan: settings.plan,
          explain: settings.explain,
          logger: settings.logger,
          document,
          // The resolved name selects the same operation, and names it in the log line.
          operationName: operationName ?? request.operationName,
          variableValues: request.variables,
          principal: settings.getAuth(contextValue).principal,
          batched: requestIsBatched,
          challenge: options.challenge,
        });
        if (refused === null) return;
        const http = refused.http === null
          ? { status: undefined, headers: new HeaderMap() }
          : { status: refused.http.status, headers: new HeaderMap(Object.entries(refused.http.headers)) };
        refusal = { http, body: { kind: 'single', singleResult: { errors: refused.errors.map((error) => error.toJSON()) } } };
      },
      // Answering here (not by throwing) lets the response list every denied path.
      async responseForOperation() {
        return refusal;
      },
    };
  };

  return {
    async serverWillStart({ schema }) {
      warnIfDryRunDisagrees(settingsOf(schema), 'authEnforcementPlugin');
    },
    // `field` mode given up front: not even the per-request call.
    ...(options.mode === 'field' ? {} : { requestDidStart }),
  };
}
