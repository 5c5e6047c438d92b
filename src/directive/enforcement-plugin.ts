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
import { HeaderMap, type ApolloServerPlugin, type GraphQLRequestListener, type GraphQLResponse } from '@apollo/server';
import type { GraphQLSchema } from 'graphql';
import type { Logger } from 'pino';
import type { DefaultPolicy, EnforcementMode } from '../config/config.js';
import { ForbiddenError, UnauthenticatedError, toHttpFailure, type ChallengeOptions } from '../errors.js';
import { scopesForChallenge } from './request/challenge-scopes.js';
import { readAuthContext, type AuthContext } from './request/auth-context.js';
import { readDryRunDenials } from './request/dry-run-denials.js';
import { enforcementOf, guardPlanOf } from './enforcement-settings.js';
import { walkOperation } from './request/operation-walk.js';
import { walkDenialErrors } from './request/walk-denial-errors.js';

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
  const settingsOf = (schema: GraphQLSchema) => {
    const remembered = enforcementOf(schema);
    return {
      mode: options.mode ?? remembered?.mode ?? 'field',
      plan: guardPlanOf(schema, options.defaultPolicy ?? 'allow'),
      logger: options.logger ?? remembered?.logger,
      getAuth: remembered?.getAuth ?? readAuthContext,
      explain: remembered ?? { explainDenials: true, explainPresented: false },
    };
  };

  return {
    async serverWillStart({ schema }) {
      const remembered = enforcementOf(schema);
      const mode = options.mode ?? remembered?.mode ?? 'field';
      if (remembered !== undefined && (mode === 'dry-run') !== (remembered.mode === 'dry-run')) {
        (options.logger ?? remembered.logger).warn(
          { plugin: mode, transformer: remembered.mode },
          'authEnforcementPlugin and authDirectiveTransformer disagree about dry-run: pass the same mode to both',
        );
      }
    },

    async requestDidStart({ schema }): Promise<GraphQLRequestListener<AuthContext>> {
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
      if (settings.mode !== 'operation') return {};
      let refusal: GraphQLResponse | null = null;
      return {
        async didResolveOperation({ document, request, contextValue, operationName, requestIsBatched }) {
          const { principal } = settings.getAuth(contextValue);
          const walk = walkOperation({
            schema, plan: settings.plan, document, operationName: request.operationName, variableValues: request.variables, principal,
          });
          if (walk.denials.length === 0) return;
          const errors = walkDenialErrors(walk, principal, settings.explain).map((error) => error.toJSON());
          settings.logger?.info(
            { subject: principal?.subject ?? null, operationName, denied: walk.denials.map((d) => ({ path: d.path, decision: d.decision })) },
            'operation refused',
          );
          // A batch shares one response head, and its other operations may have run: a 401/403
          // would misdescribe them, so only this operation's body says it was refused.
          const http = requestIsBatched
            ? { status: undefined, headers: new HeaderMap() }
            : challengeHead(principal === null, scopesForChallenge(walk.requirements, principal), options.challenge);
          refusal = { http, body: { kind: 'single', singleResult: { errors } } };
        },
        // Answering here (not by throwing) lets the response list every denied path.
        async responseForOperation() {
          return refusal;
        },
      };
    },
  };
}

/** 401 with a bare Bearer challenge without a principal, else 403 `insufficient_scope`. */
function challengeHead(anonymous: boolean, scope: string, challenge: ChallengeOptions = {}): GraphQLResponse['http'] {
  // RFC 6750 §3.1: no error attribute when the request carried no credentials.
  const failure = toHttpFailure(anonymous ? new UnauthenticatedError() : new ForbiddenError({ scope }), challenge);
  return { status: failure.status, headers: new HeaderMap(Object.entries(failure.headers)) };
}
