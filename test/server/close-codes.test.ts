/**
 * The close-code table: every refusal authenticate() can return maps to the code of its HTTP
 * status and the same fixed phrase; an unexpected failure is 1011 over a real socket, with a
 * reason that says nothing of it.
 */
import { createServer as createHttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { makeExecutableSchema } from '@graphql-tools/schema';
import { describe, expect, it } from 'vitest';
import { DEFAULT_WEBSOCKET_LIMITS } from '../../src/config/websocket-config.js';
import {
  ForbiddenError, InvalidRequestError, InvalidTokenError, TokenServiceUnavailableError, UnexpectedAuthError, UnsupportedSchemeError, type AuthError,
} from '../../src/errors.js';
import { createLogger } from '../../src/logger.js';
import { closeForAuthError } from '../../src/server/close-codes.js';
import { attachWebSocketTransport } from '../../src/server/websocket.js';
import { connectWs } from '../helpers/ws-client.js';

describe('closeForAuthError', () => {
  it.each<[string, AuthError, number, string]>([
    ['invalid token', new InvalidTokenError('expired'), 4401, 'token expired'],
    ['revoked', new InvalidTokenError('revoked'), 4401, 'token was revoked'],
    ['another scheme', new UnsupportedSchemeError(), 4401, 'authorization scheme is not supported'],
    ['invalid request', new InvalidRequestError('access token must not be sent in the URL'), 4400, 'access token must not be sent in the URL'],
    ['unreachable token service', new TokenServiceUnavailableError(), 1013, 'token service unavailable'],
    ['unexpected', new UnexpectedAuthError({ cause: new Error('secret detail') }), 1011, 'internal server error'],
    ['forbidden (not reached at connect)', new ForbiddenError({ scope: 'a' }), 4403, 'not authorized'],
  ])('%s', (_name, error, code, reason) => {
    expect(closeForAuthError(error)).toEqual({ code, reason });
  });
});

it('closes with 1011 "internal server error" when verification fails unexpectedly, without its message', async () => {
  const httpServer = createHttpServer();
  const schema = makeExecutableSchema({ typeDefs: 'type Query { a: String }' });
  const transport = attachWebSocketTransport(httpServer, {
    schema,
    verifier: { verify: async () => { throw new Error('database password is hunter2'); } },
    logger: createLogger({ level: 'silent' }),
    limits: DEFAULT_WEBSOCKET_LIMITS,
    clockToleranceSeconds: 0,
  });
  await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve));
  const { port } = httpServer.address() as AddressInfo;
  const ws = connectWs(`http://127.0.0.1:${port}/graphql`, { Authorization: 'Bearer abc.def.ghi' });
  expect(await ws.closed).toMatchObject({ code: 1011, reason: 'internal server error' });
  await ws.dispose();
  await transport.close();
  await new Promise((resolve) => httpServer.close(resolve));
});
