import { arrayOf, f, message, structs, type ApiSpec } from '../schema.js';

export const FindCoordinator: ApiSpec = {
  apiKey: 10,
  name: 'FindCoordinator',
  minVersion: 0,
  maxVersion: 4,
  request: message('FindCoordinatorRequest', 3, [f('key', 'string', '0-3'), f('keyType', 'int8', '1+'), f('coordinatorKeys', arrayOf('string'), '4+')]),
  response: message('FindCoordinatorResponse', 3, [
    f('throttleTimeMs', 'int32', '1+'),
    f('errorCode', 'int16', '0-3'),
    f('errorMessage', 'string', '1-3', { nullable: '1-3', default: null }),
    f('nodeId', 'int32', '0-3'),
    f('host', 'string', '0-3'),
    f('port', 'int32', '0-3'),
    f(
      'coordinators',
      structs(
        f('key', 'string'),
        f('nodeId', 'int32'),
        f('host', 'string'),
        f('port', 'int32'),
        f('errorCode', 'int16'),
        f('errorMessage', 'string', '4+', { nullable: '4+', default: null }),
      ),
      '4+',
    ),
  ]),
};
