// Concurrency controls and function listing, with the paths and shapes of the Lambda REST API.
import express, { type Request, type Response, type Router } from 'express';
import { functionArn, functionNotFoundMessage } from '../types/arn.js';
import type { FunctionConfig } from '../types/config.js';
import type { ConcurrencyControls, InvocationService } from '../types/service.js';
import { isColdstartError } from '../types/errors.js';
import { sendLambdaError, sendNotFound, sendValidationError } from './errors.js';
import { functionNameFrom, functionNameProblem } from './function-name.js';

/** The FunctionConfiguration shape of GetFunction/ListFunctions. */
function configuration(fn: FunctionConfig, region: string): Record<string, unknown> {
  return {
    FunctionName: fn.fullName,
    FunctionArn: functionArn(region, fn.fullName),
    Runtime: fn.runtime,
    Handler: fn.handler,
    CodeSize: fn.packageBytes,
    Timeout: fn.timeout,
    MemorySize: fn.memorySize,
    Version: '$LATEST',
    State: 'Active',
    PackageType: 'Zip',
    Architectures: ['x86_64'],
    Environment: { Variables: fn.environment },
  };
}

// Every handler maps a thrown ColdstartError to the Lambda API's error.
function guarded(fn: (req: Request, res: Response) => void) {
  return (req: Request, res: Response) => {
    try {
      fn(req, res);
    } catch (err) {
      if (isColdstartError(err) && err.code === 'FUNCTION_NOT_FOUND') sendNotFound(res, err.message);
      else if (isColdstartError(err)) sendLambdaError(res, 400, 'InvalidParameterValueException', err.message);
      else sendLambdaError(res, 500, 'ServiceException', (err as Error).message);
    }
  };
}

/** Routes of the management operations coldstart emulates. */
export function managementRouter(service: InvocationService, controls: ConcurrencyControls, region: () => string): Router {
  const r = express.Router();
  const json = express.json({ type: () => true, limit: '1mb' });
  const name = (req: Request) => functionNameFrom(String(req.params.name));
  const notFoundOr = (req: Request, res: Response): FunctionConfig | null => {
    const problem = functionNameProblem(String(req.params.name));
    if (problem) {
      sendValidationError(res, problem);
      return null;
    }
    const fn = service.findFunction(name(req));
    if (!fn) sendNotFound(res, functionNotFoundMessage(region(), name(req)));
    return fn ?? null;
  };

  r.get('/2015-03-31/functions', (_req, res) => {
    res.json({ Functions: service.listFunctions().map((f) => configuration(f, region())) });
  });
  r.get('/2015-03-31/functions/:name', guarded((req, res) => {
    const fn = notFoundOr(req, res);
    if (!fn) return;
    const reserved = controls.getReservedConcurrency(fn.name);
    res.json({
      Configuration: configuration(fn, region()),
      Code: { RepositoryType: 'Local', Location: fn.handlerFile },
      ...(reserved !== null ? { Concurrency: { ReservedConcurrentExecutions: reserved } } : {}),
    });
  }));
  r.put('/2017-10-31/functions/:name/concurrency', json, guarded((req, res) => {
    const fn = notFoundOr(req, res);
    if (!fn) return;
    const value = (req.body as { ReservedConcurrentExecutions?: unknown })?.ReservedConcurrentExecutions;
    controls.putReservedConcurrency(fn.name, Number(value));
    res.json({ ReservedConcurrentExecutions: controls.getReservedConcurrency(fn.name) });
  }));
  r.get('/2019-09-30/functions/:name/concurrency', guarded((req, res) => {
    const fn = notFoundOr(req, res);
    if (!fn) return;
    const v = controls.getReservedConcurrency(fn.name);
    res.json(v === null ? {} : { ReservedConcurrentExecutions: v });
  }));
  r.delete('/2017-10-31/functions/:name/concurrency', guarded((req, res) => {
    const fn = notFoundOr(req, res);
    if (!fn) return;
    controls.deleteReservedConcurrency(fn.name);
    res.status(204).end();
  }));
  const provisioned = (status: ReturnType<ConcurrencyControls['getProvisionedConcurrency']>) => ({
    RequestedProvisionedConcurrentExecutions: status?.requested ?? 0,
    AllocatedProvisionedConcurrentExecutions: status?.allocated ?? 0,
    AvailableProvisionedConcurrentExecutions: status?.available ?? 0,
    Status: status?.status ?? 'IN_PROGRESS',
    LastModified: new Date().toISOString(),
  });
  r.put('/2019-09-30/functions/:name/provisioned-concurrency', json, guarded((req, res) => {
    const fn = notFoundOr(req, res);
    if (!fn) return;
    const value = (req.body as { ProvisionedConcurrentExecutions?: unknown })?.ProvisionedConcurrentExecutions;
    res.status(202).json(provisioned(controls.putProvisionedConcurrency(fn.name, Number(value))));
  }));
  r.get('/2019-09-30/functions/:name/provisioned-concurrency', guarded((req, res) => {
    const fn = notFoundOr(req, res);
    if (!fn) return;
    const status = controls.getProvisionedConcurrency(fn.name);
    if (!status) {
      sendLambdaError(res, 404, 'ProvisionedConcurrencyConfigNotFoundException', `No Provisioned Concurrency Config found for this function`);
      return;
    }
    res.json(provisioned(status));
  }));
  r.delete('/2019-09-30/functions/:name/provisioned-concurrency', guarded((req, res) => {
    const fn = notFoundOr(req, res);
    if (!fn) return;
    controls.deleteProvisionedConcurrency(fn.name);
    res.status(204).end();
  }));
  return r;
}
