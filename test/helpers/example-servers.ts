import { createServer as createHttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createYoga } from 'graphql-yoga';
import { loadConfig } from '../../src/config/load-config.js';
import { exampleServerSchema } from '../../src/example/build-example-schema.js';
import { silentLogger } from '../../src/logger.js';
import { createMemoryRevocationStore } from '../../src/revocation/memory-store.js';
import { createServer } from '../../src/server/app.js';
import { PROTECTED_RESOURCE_METADATA_PATH } from '../../src/server/resource-metadata.js';
import { useGatepass } from '../../src/server/yoga-plugin.js';
import { createTokenVerifier } from '../../src/token/verify.js';

/** The front ends every example-API behaviour is checked on. */
export const SERVER_KINDS = ['apollo', 'yoga'] as const;
export type ServerKind = (typeof SERVER_KINDS)[number];

/** A running example API: its GraphQL URL and how to stop it. */
export interface ExampleServer {
  readonly url: string;
  close(): Promise<void>;
}

/**
 * The example API on 127.0.0.1:0 behind one front end, from the same environment: the reference
 * server (`createServer`, Apollo), or GraphQL Yoga with `useGatepass` over the same schema,
 * verifier and revocation store, as a Yoga user would wire them.
 */
export async function startExampleServer(kind: ServerKind, env: Record<string, string>): Promise<ExampleServer> {
  const config = loadConfig({ PORT: '0', LOG_LEVEL: 'silent', ...env });
  if (kind === 'apollo') {
    const server = await createServer(config, { schema: exampleServerSchema });
    return { url: await server.listen(), close: () => server.close() };
  }
  const logger = silentLogger();
  const revocation = createMemoryRevocationStore();
  const verifier = createTokenVerifier(config.token, { logger, revocation });
  let base = '';
  const yoga = createYoga({
    schema: exampleServerSchema({ config, logger, revocation }),
    logging: false,
    plugins: [
      useGatepass({
        verifier,
        logger,
        mode: config.enforcement.mode,
        get resourceMetadata() {
          return `${base}${PROTECTED_RESOURCE_METADATA_PATH}`;
        },
      }),
    ],
  });
  const http = createHttpServer(yoga);
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  return {
    url: `${base}/graphql`,
    async close() {
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
      verifier.close();
    },
  };
}
