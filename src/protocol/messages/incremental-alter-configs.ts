import { f, message, structs, type ApiSpec } from '../schema.js';

export const IncrementalAlterConfigs: ApiSpec = {
  apiKey: 44,
  name: 'IncrementalAlterConfigs',
  minVersion: 0,
  maxVersion: 1,
  request: message('IncrementalAlterConfigsRequest', 1, [
    f(
      'resources',
      structs(
        f('resourceType', 'int8'),
        f('resourceName', 'string'),
        f('configs', structs(f('name', 'string'), f('configOperation', 'int8'), f('value', 'string', '0+', { nullable: '0+' }))),
      ),
    ),
    f('validateOnly', 'bool'),
  ]),
  response: message('IncrementalAlterConfigsResponse', 1, [
    f('throttleTimeMs', 'int32'),
    f('responses', structs(f('errorCode', 'int16'), f('errorMessage', 'string', '0+', { nullable: '0+', default: null }), f('resourceType', 'int8'), f('resourceName', 'string'))),
  ]),
};
