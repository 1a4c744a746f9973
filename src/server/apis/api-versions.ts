import { ApiVersions } from '../../protocol/messages/api-versions.js';
import { UnsupportedVersionError } from '../../errors.js';
import type { ApiHandler } from '../context.js';

function apiKeys(handlers: Map<number, ApiHandler>) {
  return [...handlers.values()]
    .map((h) => ({ apiKey: h.spec.apiKey, minVersion: h.spec.minVersion, maxVersion: h.spec.maxVersion }))
    .sort((a, b) => a.apiKey - b.apiKey);
}

/** The answer to an ApiVersions request of a version we do not support. */
export function apiVersionsFallback(handlers: Map<number, ApiHandler>): object {
  return { errorCode: UnsupportedVersionError.info.code, apiKeys: apiKeys(handlers), throttleTimeMs: 0 };
}

/** Lists exactly the APIs this server handles: anything absent is refused by closing the connection. */
export function apiVersionsHandler(handlers: Map<number, ApiHandler>): ApiHandler {
  return {
    spec: ApiVersions,
    handle: () => ({ errorCode: 0, apiKeys: apiKeys(handlers), throttleTimeMs: 0 }),
  };
}
