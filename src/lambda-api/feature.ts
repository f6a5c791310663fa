// The Lambda API front end: Invoke and the management operations, on the one port.
import type { NextFunction, Request, Response } from 'express';
import type { IncomingMessage } from 'node:http';
import { hasPathPrefix } from '../http/path-prefix.js';
import type { AppContext, Feature } from '../types/feature.js';
import { functionNotFoundMessage } from '../types/arn.js';
import { sendLambdaError, sendNotFound, sendValidationError } from './errors.js';
import { functionNameProblem } from './function-name.js';
import { invokeHandler, invokeTarget } from './invoke.js';
import { invokeAsyncHandler, invokeAsyncTarget } from './invoke-async.js';
import { managementRouter } from './management.js';

/** The path prefixes (API versions) the Lambda API routes live under. */
const API_PREFIXES = ['/2015-03-31', '/2017-10-31', '/2019-09-30'];

function isLambdaApiRequest(req: IncomingMessage): boolean {
  return API_PREFIXES.some((prefix) => hasPathPrefix(req.url, prefix));
}

/** Mounts the Lambda API routes; Invoke is answered directly. */
export function createLambdaApiFeature(ctx: AppContext): Feature {
  const region = () => ctx.config.current().region;
  const invoke = invokeHandler(ctx.invocations, region);
  const invokeAsync = invokeAsyncHandler(ctx.invocations, region);
  return {
    name: 'lambda-api',
    direct(req, res) {
      const rawName = invokeTarget(req);
      const legacyName = rawName === null ? invokeAsyncTarget(req) : null;
      if (rawName === null && legacyName === null) return false;
      const handled = rawName !== null ? invoke(req, res, rawName) : invokeAsync(req, res, legacyName!);
      handled.catch((err: unknown) => {
        if (!res.headersSent) sendLambdaError(res, 500, 'ServiceException', String((err as Error)?.message ?? err));
        else res.destroy();
      });
      return true;
    },
    claims: isLambdaApiRequest,
    api: {
      owns: isLambdaApiRequest,
      refuse: (res, refusal) => sendLambdaError(res, 403, 'AccessDeniedException', refusal.message),
    },
    routes(app) {
      app.use(managementRouter(ctx.invocations, ctx.concurrency, region));
      app.use(API_PREFIXES, lambdaApiErrors(region));
    },
  };
}

/**
 * Errors express raises before a handler runs (a name that is not valid percent-encoding, a
 * management body that is not JSON) in the Lambda API's format, not express's HTML page with
 * a stack trace.
 */
function lambdaApiErrors(region: () => string) {
  return (err: unknown, req: Request, res: Response, next: NextFunction): void => {
    if (res.headersSent) return next(err);
    const e = err as { status?: number; type?: string; message?: string };
    if (err instanceof URIError) {
      // A name that is not even valid percent-encoding breaks the FunctionName constraint.
      const raw = /\/functions\/([^/]*)/.exec(req.originalUrl)?.[1] ?? '';
      const problem = functionNameProblem(raw);
      if (problem) sendValidationError(res, problem);
      else sendNotFound(res, functionNotFoundMessage(region(), raw));
    } else if (e?.type === 'entity.parse.failed') {
      sendLambdaError(res, 400, 'InvalidRequestContentException', `Could not parse request body into json: ${e.message}`);
    } else if (e?.type === 'entity.too.large') {
      sendLambdaError(res, 413, 'RequestEntityTooLargeException', 'Request must be smaller than 1048576 bytes');
    } else {
      const status = typeof e?.status === 'number' && e.status >= 400 && e.status < 500 ? e.status : 500;
      sendLambdaError(res, status, status === 500 ? 'ServiceException' : 'InvalidParameterValueException', String(e?.message ?? err));
    }
  };
}
