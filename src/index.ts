/**
 * gatepass: OAuth 2.0 bearer access tokens in charge of a GraphQL API.
 *
 * Request → credentials (RFC 6750 §2) → verified token (JWT / RFC 7662) → `Principal` → Apollo
 * context → `@auth` decisions made once per requirement and request.
 */

// Configuration
export { ASYMMETRIC_ALGORITHMS } from './config/config.js';
export { ConfigError } from './config/config-error.js';
export { loadConfig } from './config/load-config.js';

// Errors and their one outward mapping
export {
  AuthError,
  ForbiddenError,
  INVALID_TOKEN_REASONS,
  InvalidDpopProofError,
  InvalidRequestError,
  InvalidTokenError,
  TokenServiceUnavailableError,
  UnauthenticatedError,
  UnexpectedAuthError,
  UnsupportedSchemeError,
  UseDpopNonceError,
} from './errors.js';
export { bearerChallenge } from './challenge.js';
export { toHttpFailure } from './http-failure.js';

// Tokens: authenticate() is the one door of every transport
export { authenticate } from './token/authenticate.js';
export { openDevIssuer, DEV_AUDIENCE, DEV_ISSUER } from './dev/dev-issuer.js';
export { extractAccessToken, extractBearerToken } from './token/extract.js';
export { createDpopCheck } from './token/dpop-check.js';
export { accessTokenHash, verifyDpopProof } from './token/dpop-proof.js';
export { createMemoryDpopReplayStore, createRedisDpopReplayStore, dpopReplayKey } from './token/dpop-replay.js';
export { createDpopNonces } from './token/dpop-nonce.js';
export { confirmBinding } from './token/token-binding.js';
export { RevocationCapacityError, createMemoryRevocationStore } from './revocation/memory-store.js';
export { DEFAULT_PRINCIPAL_POLICY, toPrincipal, readClaimPath } from './token/principal.js';
export { toPrincipalShape } from './token/principal-shape.js';
export { createTokenVerifier } from './token/verify.js';

// The @auth directive
export { buildAuthSchema, makeAuthExecutableSchema } from './directive/build-auth-schema.js';
export { auditSchema } from './directive/schema/audit.js';
export { check } from './directive/request/check.js';
export { createAuthContext } from './directive/request/auth-context.js';
export { MAX_DRY_RUN_DENIALS, readDryRunDenials } from './directive/request/dry-run-denials.js';
export { authEnforcementPlugin } from './directive/enforcement-plugin.js';
export { formatRequirement } from './directive/schema/format-requirement.js';
export { walkOperation } from './directive/request/operation-walk.js';
export { planGuards } from './directive/schema/plan-guards.js';
export { combine, describeRequirement, readRequirement } from './directive/schema/requirements.js';
export { AuthSchemaError, checkAuthSchema } from './directive/schema/schema-checks.js';
export { AUTH_DIRECTIVE_SDL } from './directive/schema/sdl.js';
export { authDirectiveTransformer } from './directive/transform.js';

// A fleet: revocations and introspection results shared through Redis
export { openFleet } from './fleet/open-fleet.js';
export { RedisUnavailableError } from './fleet/redis-connection.js';

// Apollo Server integration and the reference server
export { createAuthContextFunction, toGraphQLError } from './server/context.js';
export { credentialsOf } from './server/node-credentials.js';
export { createServer } from './server/app.js';
export { attachWebSocketTransport } from './server/websocket.js';
export { closeForAuthError, SOCKET_CLOSES } from './server/close-codes.js';
export { DEFAULT_WEBSOCKET_LIMITS } from './config/websocket-config.js';
export { openEventBus } from './fleet/open-event-bus.js';
export { createLogger, fingerprint } from './logger.js';

export type {
  DefaultPolicy,
  EnforcementMode,
  EnforcementOptions,
  GatepassConfig,
  IntrospectionOptions,
  JwsAlgorithm,
  RemoteKeySetOptions,
  TokenPolicy,
} from './config/config.js';
export type { ConfigProblem } from './config/config-error.js';
export type { DpopMode, DpopOptions } from './config/dpop-config.js';
export type { ChallengeScheme, DpopChallengeOptions, DpopProofReason } from './challenge.js';
export type { DpopCheck, DpopCheckDeps } from './token/dpop-check.js';
export type { DpopProofOptions, DpopProofRequest, VerifiedDpopProof } from './token/dpop-proof.js';
export type { DpopReplayStore, MemoryDpopReplayOptions } from './token/dpop-replay.js';
export type { DpopNonceOptions, DpopNonces } from './token/dpop-nonce.js';
export type { Presentation } from './token/token-binding.js';
export type { InvalidTokenReason } from './errors.js';
export type { ChallengeOptions, HttpFailure } from './http-failure.js';
export type { DevIssuer, DevTokenClaims } from './dev/dev-issuer.js';
export type { AuthenticateOptions, Authentication, AuthFailure, RefusalCounter } from './token/authenticate.js';
export type { Credentials, PresentedToken } from './token/extract.js';
export type { Principal, PrincipalPolicy } from './token/principal.js';
export type { PrincipalInit } from './token/principal-shape.js';
export type { RevocationStore, RevocationTarget } from './revocation/store.js';
export type { TokenVerifier, TokenVerifierDeps } from './token/verify.js';
export type { IssuerReadiness } from './token/keys.js';
export type { FieldAudit, SchemaAudit } from './directive/schema/audit.js';
export type { Decision } from './directive/request/check.js';
export type { AuthContext } from './directive/request/auth-context.js';
export type { DenialDetails, PresentedCredentials } from './directive/request/denial-error.js';
export type { DryRunDenial, DryRunReport } from './directive/request/dry-run-denials.js';
export type { AuthEnforcementPluginOptions } from './directive/enforcement-plugin.js';
export type { OperationWalk, WalkDenial, WalkInput } from './directive/request/operation-walk.js';
export type { GuardPlan } from './directive/schema/plan-guards.js';
export type { Requirement, RequirementDescription } from './directive/schema/requirements.js';
export type { SchemaProblem } from './directive/schema/schema-checks.js';
export type { AuthDirectiveOptions } from './directive/transform.js';
export type { BuildAuthSchemaOptions } from './directive/build-auth-schema.js';
export type { Fleet, FleetOptions, RedisReadiness } from './fleet/open-fleet.js';
export type { AuthContextOptions, ContextRequest } from './server/context.js';
export type { CreateServerOptions, GatepassServer, ServerSchemaDeps } from './server/app.js';
export type { NodeCredentialSource } from './server/node-credentials.js';
export type { WebSocketTransport, WebSocketTransportOptions } from './server/websocket.js';
export type { SocketClose } from './server/close-codes.js';
export type { WebSocketLimits } from './config/websocket-config.js';
export type { EventBus } from './fleet/open-event-bus.js';
export type { Logger } from './logger.js';
