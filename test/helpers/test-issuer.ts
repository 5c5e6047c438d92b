/**
 * A real authorization-server stand-in for tests: an HTTP server on 127.0.0.1, port 0, that
 * serves discovery metadata (RFC 8414 or OpenID Connect Discovery), a JWKS (RFC 7517 §5), and
 * optionally an RFC 7662 introspection endpoint; and mints signed access tokens (RFC 9068).
 *
 * Loopback only, ever. No mocks: the code under test talks to it over real sockets.
 *
 * @example
 * ```ts
 * const issuer = await startTestIssuer();
 * const token = await issuer.mint({ scope: 'read:users' });
 * // … verify against issuer.issuer / TEST_AUDIENCE …
 * await issuer.close();
 * ```
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { exportJWK, exportSPKI, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';
import type { JwsAlgorithm } from '../../src/config/config.js';

/** Default `aud` of minted tokens. */
export const TEST_AUDIENCE = 'https://api.test';
/** Default `sub` of minted tokens. */
export const TEST_SUBJECT = 'u1';
/** Default `client_id` of minted tokens. */
export const TEST_CLIENT_ID = 'test-client';
/** Client credentials the introspection endpoint accepts (client_secret_basic, RFC 7662 §2.1). */
export const TEST_INTROSPECTION_CLIENT = { clientId: 'gatepass-rs', clientSecret: 's3cret:with%chars' } as const;
/** Default token lifetime, seconds. */
export const TEST_TTL_SECONDS = 300;

/** Options of {@link startTestIssuer}. */
export interface TestIssuerOptions {
  /** One key is created per algorithm; the first is the current signing key. @default ['RS256'] */
  readonly algorithms?: readonly JwsAlgorithm[];
  /** Which discovery document to serve. @default 'oauth' */
  readonly metadata?: 'oauth' | 'oidc' | 'none';
  /** Serve an RFC 7662 introspection endpoint at `/introspect`. @default false */
  readonly introspection?: boolean;
  /** A path component for the issuer identifier, e.g. `/tenant-a` (RFC 8414 §3.1). @default '' */
  readonly path?: string;
}

/** Options of {@link TestIssuer.mint}. */
export interface MintOptions {
  /** Sign with a key of this algorithm (created on demand, kept in the set). */
  readonly alg?: JwsAlgorithm;
  /** Header `kid`. A kid this issuer knows (even a removed one) also picks the signing key. */
  readonly kid?: string;
  /** Extra or replacing protected-header parameters (`typ`, `crit`, `jku`, …). */
  readonly header?: Record<string, unknown>;
  /** @default 300 */
  readonly ttlSeconds?: number;
  /** Claim names to leave out, e.g. `['iat']`. `'typ'`/`'kid'` here drop header params. */
  readonly omit?: readonly string[];
}

/** What a test sees of one issuer key. */
export interface TestKey {
  readonly kid: string;
  readonly alg: JwsAlgorithm;
  readonly publicJwk: JWK;
  readonly publicKeyPem: string;
  readonly privateKey: CryptoKey;
}

/** A running test issuer. */
export interface TestIssuer {
  /** `http://127.0.0.1:PORT` (+ path). */
  readonly issuer: string;
  readonly jwksUri: string;
  /** `undefined` unless started with `introspection: true`. */
  readonly introspectionUri: string | undefined;
  /** Number of requests the JWKS endpoint received (served or refused). */
  jwksRequests(): number;
  /** Number of requests any metadata URL received. */
  metadataRequests(): number;
  /** Number of introspection requests. */
  introspectionRequests(): number;
  /** The last introspection request as received (URL, content type, raw form body). */
  lastIntrospectionRequest(): { url: string; contentType: string | undefined; body: string } | undefined;
  /** Signs an access token with the current key (see {@link MintOptions}). */
  mint(claims?: Record<string, unknown>, options?: MintOptions): Promise<string>;
  /** Makes a new current key (default: the current key's alg); old keys stay in the set. */
  rotate(alg?: JwsAlgorithm): Promise<TestKey>;
  /** Removes a key from the served JWKS (its private key is kept so tests can still sign). */
  removeKey(kid: string): void;
  /** The current signing key. */
  currentKey(): TestKey;
  /** The JWKS as served now. */
  jwks(): { keys: JWK[] };
  /** Down: metadata and JWKS answer 503 (`'status'`) or drop the connection (`'close'`). */
  setAvailable(up: boolean, how?: 'status' | 'close'): void;
  /** Replace the metadata body (an object is sent as JSON, a string as is); `undefined` restores. */
  setMetadata(body: Record<string, unknown> | string | undefined): void;
  /** Registers an opaque token for introspection; returns the token. */
  mintOpaque(claims?: Record<string, unknown>): string;
  /** Makes an opaque token inactive. */
  revokeOpaque(token: string): void;
  /** Introspection answers with this HTTP status and body instead (`undefined` restores). */
  setIntrospectionFailure(failure: { status: number; body: string } | undefined): void;
  close(): Promise<void>;
}

interface KeyEntry extends TestKey {
  served: boolean;
}

/** Algorithm → key generation parameters. */
function generationAlg(alg: JwsAlgorithm): string {
  return alg === 'Ed25519' ? 'Ed25519' : alg;
}

async function createKey(alg: JwsAlgorithm, counter: number): Promise<KeyEntry> {
  const { publicKey, privateKey } = await generateKeyPair(generationAlg(alg), { extractable: true });
  const kid = `k${counter}-${alg.toLowerCase()}-${randomBytes(3).toString('hex')}`;
  const publicJwk = { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' };
  return { kid, alg, publicJwk, publicKeyPem: await exportSPKI(publicKey), privateKey, served: true };
}

/**
 * Starts a test authorization server on 127.0.0.1, port 0.
 * @see RFC 8414 §3 (metadata), RFC 7517 §5 (JWK Set), RFC 7662 §2 (introspection), RFC 9068 §2
 */
export async function startTestIssuer(options: TestIssuerOptions = {}): Promise<TestIssuer> {
  const algorithms = options.algorithms ?? ['RS256'];
  const metadataKind = options.metadata ?? 'oauth';
  const path = (options.path ?? '').replace(/\/+$/, '');
  const keys = new Map<string, KeyEntry>();
  let keyCounter = 0;
  let current: KeyEntry | undefined;
  for (const alg of algorithms) {
    const key = await createKey(alg, ++keyCounter);
    keys.set(key.kid, key);
    current ??= key;
  }
  if (!current) throw new TypeError('startTestIssuer needs at least one algorithm');

  let available: { up: boolean; how: 'status' | 'close' } = { up: true, how: 'status' };
  let metadataOverride: Record<string, unknown> | string | undefined;
  let introspectionFailure: { status: number; body: string } | undefined;
  const counts = { jwks: 0, metadata: 0, introspection: 0 };
  const opaque = new Map<string, Record<string, unknown>>();
  let lastIntrospection: { url: string; contentType: string | undefined; body: string } | undefined;
  const sockets = new Set<Socket>();
  let origin = '';
  const state = { get issuer() { return origin + path; } };

  const jwksPath = `${path}/jwks`;
  const introspectPath = `${path}/introspect`;
  const metadataPaths = new Set<string>();
  if (metadataKind === 'oauth') {
    // RFC 8414 §3.1: the well-known segment goes between host and path.
    metadataPaths.add(`/.well-known/oauth-authorization-server${path}`);
  } else if (metadataKind === 'oidc') {
    // OpenID Connect Discovery 1.0 §4: appended to the issuer.
    metadataPaths.add(`${path}/.well-known/openid-configuration`);
  }

  const metadataBody = (): string => {
    if (typeof metadataOverride === 'string') return metadataOverride;
    return JSON.stringify(
      metadataOverride ?? {
        issuer: state.issuer,
        jwks_uri: origin + jwksPath,
        token_endpoint: `${state.issuer}/token`,
        response_types_supported: ['code'],
        ...(options.introspection ? { introspection_endpoint: origin + introspectPath } : {}),
      },
    );
  };

  const refuse = (res: ServerResponse, req: IncomingMessage): void => {
    if (available.how === 'close') {
      req.socket.destroy();
      return;
    }
    res.writeHead(503, { 'content-type': 'text/plain', 'retry-after': '1' }).end('down');
  };

  const handler = (req: IncomingMessage, res: ServerResponse): void => {
    const url = new URL(req.url ?? '/', origin);
    if (req.method === 'GET' && metadataPaths.has(url.pathname)) {
      counts.metadata++;
      if (!available.up) return refuse(res, req);
      res.writeHead(200, { 'content-type': 'application/json' }).end(metadataBody());
      return;
    }
    if (req.method === 'GET' && url.pathname === jwksPath) {
      counts.jwks++;
      if (!available.up) return refuse(res, req);
      res.writeHead(200, { 'content-type': 'application/jwk-set+json' }).end(JSON.stringify(jwks()));
      return;
    }
    if (options.introspection && req.method === 'POST' && url.pathname === introspectPath) {
      counts.introspection++;
      void introspect(req, res);
      return;
    }
    res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
  };

  const introspect = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > 64 * 1024) return void res.writeHead(413).end();
      chunks.push(chunk);
    }
    lastIntrospection = { url: req.url ?? '', contentType: req.headers['content-type'], body: Buffer.concat(chunks).toString('utf8') };
    if (introspectionFailure) {
      res.writeHead(introspectionFailure.status, { 'content-type': 'application/json' }).end(introspectionFailure.body);
      return;
    }
    // RFC 7662 §2.1: the protected resource authenticates; client_secret_basic per RFC 6749 §2.3.1.
    const expected =
      'Basic ' +
      Buffer.from(
        `${encodeURIComponent(TEST_INTROSPECTION_CLIENT.clientId)}:${encodeURIComponent(TEST_INTROSPECTION_CLIENT.clientSecret)}`,
      ).toString('base64');
    if (req.headers.authorization !== expected) {
      res.writeHead(401, { 'www-authenticate': 'Basic', 'content-type': 'application/json' }).end('{"error":"invalid_client"}');
      return;
    }
    const form = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
    const claims = opaque.get(form.get('token') ?? '');
    const body = claims ? { active: true, ...claims } : { active: false };
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  };

  const server = createServer(handler);
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const jwks = (): { keys: JWK[] } => ({ keys: [...keys.values()].filter((k) => k.served).map((k) => k.publicJwk) });
  const view = (k: KeyEntry): TestKey => ({ kid: k.kid, alg: k.alg, publicJwk: k.publicJwk, publicKeyPem: k.publicKeyPem, privateKey: k.privateKey });

  const signingKey = async (opts: MintOptions): Promise<KeyEntry> => {
    const byKid = opts.kid ? keys.get(opts.kid) : undefined;
    if (byKid && (!opts.alg || byKid.alg === opts.alg)) return byKid;
    if (!opts.alg || opts.alg === current!.alg) return current!;
    const existing = [...keys.values()].find((k) => k.alg === opts.alg);
    if (existing) return existing;
    const created = await createKey(opts.alg, ++keyCounter);
    keys.set(created.kid, created);
    return created;
  };

  return {
    get issuer() {
      return state.issuer;
    },
    jwksUri: origin + jwksPath,
    introspectionUri: options.introspection ? origin + introspectPath : undefined,
    jwksRequests: () => counts.jwks,
    metadataRequests: () => counts.metadata,
    introspectionRequests: () => counts.introspection,
    lastIntrospectionRequest: () => lastIntrospection,
    async mint(claims = {}, opts = {}) {
      const key = await signingKey(opts);
      const now = Math.floor(Date.now() / 1000);
      const omit = new Set(opts.omit ?? []);
      const payload: Record<string, unknown> = {
        iss: state.issuer,
        sub: TEST_SUBJECT,
        aud: TEST_AUDIENCE,
        iat: now,
        exp: now + (opts.ttlSeconds ?? TEST_TTL_SECONDS),
        jti: randomUUID(),
        client_id: TEST_CLIENT_ID,
        ...claims,
      };
      for (const name of omit) delete payload[name];
      const header: Record<string, unknown> = { alg: key.alg, kid: opts.kid ?? key.kid, typ: 'at+jwt', ...opts.header };
      if (omit.has('typ')) delete header.typ;
      if (omit.has('kid')) delete header.kid;
      // Every claim comes from `payload`. A `crit` header is declared "understood" to the signer
      // so that tests can send extensions the verifier must refuse.
      const crit = Array.isArray(header.crit) ? Object.fromEntries(header.crit.map((name) => [String(name), true])) : undefined;
      return new SignJWT(payload).setProtectedHeader(header as { alg: string }).sign(key.privateKey, crit ? { crit } : undefined);
    },
    async rotate(alg) {
      const key = await createKey(alg ?? current!.alg, ++keyCounter);
      keys.set(key.kid, key);
      current = key;
      return view(key);
    },
    removeKey(kid) {
      const key = keys.get(kid);
      if (key) key.served = false;
    },
    currentKey: () => view(current!),
    jwks,
    setAvailable(up, how = 'status') {
      available = { up, how };
    },
    setMetadata(body) {
      metadataOverride = body;
    },
    mintOpaque(claims = {}) {
      const token = randomBytes(24).toString('base64url');
      const now = Math.floor(Date.now() / 1000);
      opaque.set(token, {
        iss: state.issuer,
        sub: TEST_SUBJECT,
        aud: TEST_AUDIENCE,
        client_id: TEST_CLIENT_ID,
        token_type: 'Bearer',
        iat: now,
        exp: now + TEST_TTL_SECONDS,
        ...claims,
      });
      return token;
    },
    revokeOpaque(token) {
      opaque.delete(token);
    },
    setIntrospectionFailure(failure) {
      introspectionFailure = failure;
    },
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
