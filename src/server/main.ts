import { exampleServerSchema } from '../example/build-example-schema.js';
import { runServer } from './run-server.js';

/** `npm start`: the reference server over the example API (see run-server.ts for the process rules). */
await runServer({ schema: exampleServerSchema });
