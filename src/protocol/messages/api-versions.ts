import { f, message, structs, type ApiSpec } from '../schema.js';

// v4 changes only which features a broker may list (KAFKA-17011: min version 0); we list none, so
// v4 is v3. Modern Sarama (Config.Version >= 3.9) and franz-go open with v4.
export const ApiVersions: ApiSpec = {
  apiKey: 18,
  name: 'ApiVersions',
  minVersion: 0,
  maxVersion: 4,
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
