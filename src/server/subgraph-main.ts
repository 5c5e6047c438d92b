import { exampleSubgraphServerSchema } from '../example/build-subgraph-schema.js';
import { runServer } from './run-server.js';

/**
 * `npm run subgraph`: the example Federation subgraph (schema/subgraph.graphql) behind gatepass,
 * served as `npm start` serves the example API (see run-server.ts for the process rules).
 */
await runServer({
  schema: exampleSubgraphServerSchema,
  bannerQuery: '{ me { name email } posts { title author { name } } }',
});
