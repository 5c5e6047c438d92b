import { request } from 'node:http';
import { request as httpsRequest } from 'node:https';

/** A response as a test reads it: status, lower-case headers, parsed JSON body when there is one. */
export interface TestResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly text: string;
  readonly json: any;
}

/** Options of {@link send}. */
export interface SendOptions {
  readonly method?: string;
  /** Raw header pairs, sent as given (so a test can send two `Authorization` headers). */
  readonly headers?: ReadonlyArray<readonly [string, string]>;
  readonly body?: string;
  /** For an https URL: the CA to trust and the client certificate to present, if any. */
  readonly tls?: { readonly ca: Buffer; readonly cert?: Buffer; readonly key?: Buffer };
}

/** Sends one HTTP(S) request with node:http(s) (no client-side header folding) to a loopback URL. */
export function send(url: string, options: SendOptions = {}): Promise<TestResponse> {
  const target = new URL(url);
  if (!['127.0.0.1', 'localhost', '[::1]'].includes(target.hostname)) throw new Error(`tests talk to loopback only, not ${target.hostname}`);
  // A repeated name becomes an array value, which node:http sends as separate header lines.
  const headers: Record<string, string | string[]> = {};
  for (const [name, value] of options.headers ?? []) {
    const key = name.toLowerCase();
    const previous = headers[key];
    headers[key] = previous === undefined ? value : [...(Array.isArray(previous) ? previous : [previous]), value];
  }
  return new Promise((resolve, reject) => {
    const req = (target.protocol === 'https:' ? httpsRequest : request)(
      { host: target.hostname, port: target.port, path: `${target.pathname}${target.search}`, method: options.method ?? 'POST', headers, ...options.tls },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let json: unknown;
          try {
            json = text ? JSON.parse(text) : undefined;
          } catch {
            json = undefined;
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
        });
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

/** POSTs a GraphQL operation, with `Authorization: Bearer <token>` when a token is given. */
export function graphql(url: string, query: string, options: { token?: string; variables?: Record<string, unknown>; headers?: ReadonlyArray<readonly [string, string]> } = {}): Promise<TestResponse> {
  return send(url, {
    headers: [
      ['content-type', 'application/json'],
      ...(options.token === undefined ? [] : [['authorization', `Bearer ${options.token}`] as const]),
      ...(options.headers ?? []),
    ],
    body: JSON.stringify({ query, ...(options.variables ? { variables: options.variables } : {}) }),
  });
}
