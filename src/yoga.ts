/**
 * `gatepass/yoga`: gatepass for GraphQL Yoga. Everything a Yoga server needs — the `@auth` SDL
 * and transformer, configuration, the token verifier, and the `useGatepass` plugin — without
 * loading Apollo Server (the main entry, `gatepass`, is the Apollo one and needs
 * `@apollo/server`; this one needs `graphql-yoga` and `graphql` only).
 *
 * @example
 * ```ts
 * import { authDirectiveTransformer, createTokenVerifier, loadConfig, useGatepass } from 'gatepass/yoga';
 * ```
 */

// Configuration and errors
export { ConfigError } from './config/config-error.js';
export { loadConfig } from './config/load-config.js';
export { toHttpFailure } from './http-failure.js';

// Tokens
export { authenticate } from './token/authenticate.js';
export { createMemoryRevocationStore } from './revocation/memory-store.js';
export { createTokenVerifier } from './token/verify.js';

// The @auth directive
export { auditSchema } from './directive/schema/audit.js';
export { createAuthContext } from './directive/request/auth-context.js';
export { readDryRunDenials } from './directive/request/dry-run-denials.js';
export { AUTH_DIRECTIVE_SDL } from './directive/schema/sdl.js';
export { authDirectiveTransformer } from './directive/transform.js';

// The Yoga plugin
export { credentialsOfFetch } from './server/fetch-credentials.js';
export { useGatepass } from './server/yoga-plugin.js';
export { createLogger } from './logger.js';

export type { EnforcementMode, GatepassConfig, TokenPolicy } from './config/config.js';
export type { ChallengeOptions, HttpFailure } from './http-failure.js';
export type { AuthenticateOptions, Authentication } from './token/authenticate.js';
export type { Credentials } from './token/extract.js';
export type { Principal } from './token/principal.js';
export type { RevocationStore } from './revocation/store.js';
export type { TokenVerifier } from './token/verify.js';
export type { AuthContext } from './directive/request/auth-context.js';
export type { AuthDirectiveOptions } from './directive/transform.js';
export type { GatepassYogaOptions } from './server/yoga-plugin.js';
export type { Logger } from './logger.js';
