import { startSpaServer } from '../dev/spa-server.js';

/**
 * `npm run spa`: serves the single-page example (`examples/spa/`) on http://127.0.0.1:4500, for
 * `npm run idp` (its `gatepass-spa` client) and the API started with
 * `CORS_ORIGINS=http://127.0.0.1:4500`. `SPA_PORT`, `SPA_ISSUER` and `SPA_API` change the defaults.
 */
async function main(): Promise<void> {
  const port = Number(process.env.SPA_PORT ?? 4500);
  if (!Number.isSafeInteger(port) || port < 0 || port > 65535) {
    process.stderr.write(`gatepass spa: SPA_PORT "${process.env.SPA_PORT}" is not a port number (0-65535)\n`);
    process.exit(78); // EX_CONFIG
  }
  const config = { issuer: process.env.SPA_ISSUER ?? 'http://127.0.0.1:4400', api: process.env.SPA_API ?? 'http://127.0.0.1:4000/graphql' };
  const spa = await startSpaServer({ port, config: () => config });
  process.stdout.write(`
gatepass single-page example - DEVELOPMENT ONLY
  open        ${spa.origin}/
  signs in at ${config.issuer}   (npm run idp; client gatepass-spa, redirect ${spa.origin}/)
  calls       ${config.api}   (start the API with CORS_ORIGINS=${spa.origin})
`);
  const stop = () => void spa.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

await main();
