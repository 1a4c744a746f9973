import { f, message, type ApiSpec } from '../schema.js';

export const Heartbeat: ApiSpec = {
  apiKey: 12,
  name: 'Heartbeat',
  minVersion: 0,
  maxVersion: 4,
  request: message('HeartbeatRequest', 4, [
    f('groupId', 'string'),
    f('generationId', 'int32'),
    f('memberId', 'string'),
    f('groupInstanceId', 'string', '3+', { nullable: '3+', default: null }),
  ]),
  response: message('HeartbeatResponse', 4, [f('throttleTimeMs', 'int32', '1+'), f('errorCode', 'int16')]),
};
