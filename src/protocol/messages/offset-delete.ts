import { f, message, structs, type ApiSpec } from '../schema.js';

export const OffsetDelete: ApiSpec = {
  apiKey: 47,
  name: 'OffsetDelete',
  minVersion: 0,
  maxVersion: 0,
  request: message('OffsetDeleteRequest', 'none', [f('groupId', 'string'), f('topics', structs(f('name', 'string'), f('partitions', structs(f('partitionIndex', 'int32')))))]),
  response: message('OffsetDeleteResponse', 'none', [
    f('errorCode', 'int16'),
    f('throttleTimeMs', 'int32'),
    f('topics', structs(f('name', 'string'), f('partitions', structs(f('partitionIndex', 'int32'), f('errorCode', 'int16'))))),
  ]),
};
