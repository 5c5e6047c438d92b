/**
 * The GraphQL Yoga adapter over {@link authenticate}: `useGatepass` gathers a request's
 * credentials, calls the one door once per HTTP request, maps a refusal through `toHttpFailure`
 * (the same status, `WWW-Authenticate` and body as the Apollo path), and puts `principal` and
 * `decisions` into the context as `createAuthContext` makes them. With a schema from
 * `authDirectiveTransformer`, the `operation` and `dry-run` enforcement modes answer as
 * `authEnforcementPlugin` does on Apollo Server (the same `refuseOperation`).
 *
 * Only types are imported from graphql-yoga: loading this module never needs Yoga installed.
 *
 * @see RFC 6750 §2 (credentials), §3 (the challenge); DESIGN.md's error table
 */
import { GraphQLError, type DocumentNode, type ExecutionResult, type GraphQLSchema } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { DefaultPolicy, EnforcementMode } from '../config/config.js';
import { enforcementResolver, warnIfDryRunDisagrees, type ResolvedEnforcement } from '../directive/enforcement-settings.js';
import { createAuthContext, type AuthContext } from '../directive/request/auth-context.js';
import { readDryRunDenials } from '../directive/request/dry-run-denials.js';
import { refuseOperation } from '../directive/request/operation-refusal.js';
import { UnexpectedAuthError, type AuthError } from '../errors.js';
import { toHttpFailure, type ChallengeOptions, type HttpFailure } from '../http-failure.js';
import { authenticate, type AuthenticateOptions } from '../token/authenticate.js';
import type { Principal } from '../token/principal.js';
import { credentialsOfFetch } from './fetch-credentials.js';

/** Options of {@link useGatepass}. */
export interface GatepassYogaOptions extends AuthenticateOptions, Omit<ChallengeOptions, 'dpop'> {
  /** Enforcement mode. @default the `mode` the schema was transformed with ('field' for other schemas) */
  readonly mode?: EnforcementMode;
  /** Only for a schema `authDirectiveTransformer` did not return: its default policy. @default 'allow' */
  readonly defaultPolicy?: DefaultPolicy;
}

/** What the door said about one HTTP request, kept until its operations build their context. */
interface Admitted {
  readonly principal: Principal | null;
  /** A batch shares one response head: an `operation` refusal then sets no status (see refuseOperation). */
  readonly batched: boolean;
}

/**
 * The Yoga (envelop) plugin: bearer-token authentication for every GraphQL request, and the
 * `operation` / `dry-run` enforcement modes. Serve a schema returned by `authDirectiveTransformer`.
 *
 * @example
 * ```ts
 * const yoga = createYoga({ schema, plugins: [useGatepass({ verifier: createTokenVerifier(config.token) })] });
 * createServer(yoga).listen(4000);
 * ```
 * @see RFC 6750 §2, §3, §3.1
 */
export function useGatepass(options: GatepassYogaOptions): Plugin<Partial<AuthContext>> {
  const admitted = new WeakMap<Request, Admitted>();
  const settingsOf = enforcementResolver(options);
  return {
    onSchemaChange({ schema }) {
      warnIfDryRunDisagrees(settingsOf(schema), 'useGatepass');
    },
    // Once per HTTP request (a batch included), after Yoga parsed the body and before it checks
    // the parameters: a top-level `access_token` member is RFC 6750's 400, not Yoga's own.
    onRequestParse({ request, serverContext }) {
      return {
        async onRequestParseDone({ requestParserResult }) {
          const result = await authenticate(credentialsOfFetch(request, serverContext, requestParserResult), options);
          if (result.kind === 'failure') throw requestFailure(toHttpFailure(result.error, options));
          admitted.set(request, { principal: result.kind === 'principal' ? result.principal : null, batched: Array.isArray(requestParserResult) });
        },
      };
    },
    onContextBuilding({ context, extendContext }) {
      const admission = admitted.get(context.request);
      // Fail closed: a context built for a request the door never saw (another transport,
      // a plugin that bypassed parsing) is refused, never anonymous.
      if (admission === undefined) {
        const error = notAuthenticated();
        options.logger?.error({ err: error.cause }, 'authentication failed unexpectedly');
        throw requestFailure(toHttpFailure(error, options));
      }
      extendContext(createAuthContext(admission.principal));
    },
    onExecute({ args, setResultAndStopExecution }) {
      const settings = settingsOf(args.schema);
      if (settings.mode === 'operation') {
        const refusal = operationRefusal(args, settings, admitted, options);
        if (refusal !== null) setResultAndStopExecution(refusal);
        return undefined;
      }
      if (settings.mode !== 'dry-run') return undefined;
      return {
        onExecuteDone({ result, setResult }) {
          // Streamed results (@defer, @stream) carry no report: their first payload is already sent.
          if (Symbol.asyncIterator in result) return;
          const { denials, omitted } = readDryRunDenials(args.contextValue);
          if (denials.length === 0) return;
          setResult({ ...result, extensions: { ...result.extensions, authDryRun: denials, ...(omitted > 0 ? { authDryRunOmitted: omitted } : {}) } });
        },
      };
    },
    onSubscribe({ args, setResultAndStopExecution }) {
      const settings = settingsOf(args.schema);
      if (settings.mode !== 'operation') return;
      const refusal = operationRefusal(args, settings, admitted, options);
      if (refusal !== null) setResultAndStopExecution(refusal);
    },
  };
}

/** The operation's refusal as a Yoga result (status and challenge in `extensions.http`), or null. */
function operationRefusal(
  args: { schema: GraphQLSchema; document: DocumentNode; operationName?: string | null | undefined; variableValues?: Record<string, unknown> | null | undefined; contextValue: unknown },
  settings: ResolvedEnforcement,
  admitted: WeakMap<Request, Admitted>,
  challenge: ChallengeOptions,
): ExecutionResult | null {
  const request = (args.contextValue as { request?: Request }).request;
  const refused = refuseOperation({
    schema: args.schema,
    plan: settings.plan,
    explain: settings.explain,
    logger: settings.logger,
    document: args.document,
    operationName: args.operationName,
    variableValues: args.variableValues,
    principal: settings.getAuth(args.contextValue).principal,
    batched: request === undefined ? false : (admitted.get(request)?.batched ?? false),
    challenge,
  });
  if (refused === null) return null;
  return {
    errors: refused.errors,
    ...(refused.http === null ? {} : { extensions: { http: { status: refused.http.status, headers: { ...refused.http.headers } } } }),
  };
}

/** A request-level failure as the `GraphQLError` Yoga turns into its response (`extensions.http`). */
function requestFailure(failure: HttpFailure): GraphQLError {
  return new GraphQLError(failure.message, { extensions: { code: failure.graphqlCode, http: { status: failure.status, headers: { ...failure.headers } } } });
}

/** The door was not consulted for this context: an internal error, never an anonymous request. */
function notAuthenticated(): AuthError {
  return new UnexpectedAuthError({ cause: new Error('useGatepass: no authentication for this request (only HTTP requests through Yoga are authenticated)') });
}
