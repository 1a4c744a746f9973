import { f, message, structs, type ApiSpec } from '../schema.js';

export const ApiVersions: ApiSpec = {
  apiKey: 18,
  name: 'ApiVersions',
  minVersion: 0,
  maxVersion: 3,
  request: message('ApiVersionsRequest', 3, [
    f('clientSoftwareName', 'string', '3+'),
    f('clientSoftwareVersion', 'string', '3+'),
  ]),
  response: message('ApiVersionsResponse', 3, [
    f('errorCode', 'int16'),
    f('apiKeys', structs(f('apiKey', 'int16'), f('minVersion', 'int16'), f('maxVersion', 'int16'))),
    f('throttleTimeMs', 'int32', '1+'),
  ]),
};
