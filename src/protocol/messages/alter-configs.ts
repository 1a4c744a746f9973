import { f, message, structs, type ApiSpec } from '../schema.js';

export const AlterConfigs: ApiSpec = {
  apiKey: 33,
  name: 'AlterConfigs',
  minVersion: 0,
  maxVersion: 2,
  request: message('AlterConfigsRequest', 2, [
    f('resources', structs(f('resourceType', 'int8'), f('resourceName', 'string'), f('configs', structs(f('name', 'string'), f('value', 'string', '0+', { nullable: '0+' }))))),
    f('validateOnly', 'bool'),
  ]),
  response: message('AlterConfigsResponse', 2, [
    f('throttleTimeMs', 'int32'),
    f('responses', structs(f('errorCode', 'int16'), f('errorMessage', 'string', '0+', { nullable: '0+', default: null }), f('resourceType', 'int8'), f('resourceName', 'string'))),
  ]),
};
