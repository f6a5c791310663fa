// The API Gateway event source: `http` (REST API) and `httpApi` (HTTP API) events, read by
// config.ts, completed across functions by routes-config.ts, and served by the feature.
// Importing this module registers the source as built in (see event-sources/builtin.ts).
import type { EventSource } from '../types/event-source.js';
import { registerBuiltinEventSource } from '../event-sources/builtins.js';
import { HTTP_API_KEYS, HTTP_KEYS, httpNotEmulated, readHttp, readHttpApi, type HttpRouteEventConfig } from './config.js';
import { createGatewayFeature } from './feature.js';
import { completeRoutes } from './routes-config.js';

declare module '../types/event-source.js' {
  interface EventConfigs {
    http: HttpRouteEventConfig;
    httpApi: HttpRouteEventConfig;
  }
}

declare module '../types/runtime.js' {
  interface InvocationSources {
    gateway: true;
  }
}

/** The `http` and `httpApi` event source. */
export const gatewaySource: EventSource = {
  name: 'API Gateway',
  kinds: {
    http: { read: (value, path, loc) => [readHttp(value, path, loc)], keys: HTTP_KEYS, notEmulated: httpNotEmulated },
    httpApi: { read: (value, path, loc) => [readHttpApi(value, path, loc)], keys: HTTP_API_KEYS },
  },
  complete: completeRoutes,
  feature: { create: createGatewayFeature },
};

registerBuiltinEventSource(gatewaySource);
