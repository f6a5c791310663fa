// The Lambda API front end: Invoke and the management operations, on the one port.
import type { AppContext, Feature } from '../server/context.js';
import { invokeHandler } from './invoke.js';
import { managementRouter } from './management.js';

/** Mounts the Lambda API routes. */
export function createLambdaApiFeature(ctx: AppContext): Feature {
  return {
    name: 'lambda-api',
    routes(app) {
      app.post('/2015-03-31/functions/:name/invocations', invokeHandler(ctx.invocations));
      app.use(managementRouter(ctx.invocations, ctx.concurrency, () => ctx.config.current().region));
    },
  };
}
