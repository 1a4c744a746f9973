import { f, message, structs, type ApiSpec } from '../schema.js';

export const DeleteRecords: ApiSpec = {
  apiKey: 21,
  name: 'DeleteRecords',
  minVersion: 0,
  maxVersion: 2,
  request: message('DeleteRecordsRequest', 2, [
    f('topics', structs(f('name', 'string'), f('partitions', structs(f('partitionIndex', 'int32'), f('offset', 'int64'))))),
    f('timeoutMs', 'int32'),
  ]),
  response: message('DeleteRecordsResponse', 2, [
    f('throttleTimeMs', 'int32'),
    f('topics', structs(f('name', 'string'), f('partitions', structs(f('partitionIndex', 'int32'), f('lowWatermark', 'int64'), f('errorCode', 'int16'))))),
  ]),
};
