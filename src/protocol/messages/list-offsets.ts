import { f, message, structs, type ApiSpec } from '../schema.js';

// v0 (several old-style offsets per partition) is not served; v7 adds the max-timestamp query.
export const ListOffsets: ApiSpec = {
  apiKey: 2,
  name: 'ListOffsets',
  minVersion: 1,
  maxVersion: 6,
  request: message('ListOffsetsRequest', 6, [
    f('replicaId', 'int32'),
    f('isolationLevel', 'int8', '2+'),
    f(
      'topics',
      structs(
        f('name', 'string'),
        f('partitions', structs(f('partitionIndex', 'int32'), f('currentLeaderEpoch', 'int32', '4+', { default: -1 }), f('timestamp', 'int64'))),
      ),
    ),
  ]),
  response: message('ListOffsetsResponse', 6, [
    f('throttleTimeMs', 'int32', '2+'),
    f(
      'topics',
      structs(
        f('name', 'string'),
        f(
          'partitions',
          structs(
            f('partitionIndex', 'int32'),
            f('errorCode', 'int16'),
            f('timestamp', 'int64', '1+', { default: -1 }),
            f('offset', 'int64', '1+', { default: -1 }),
            f('leaderEpoch', 'int32', '4+', { default: -1 }),
          ),
        ),
      ),
    ),
  ]),
};
