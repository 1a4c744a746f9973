import { f, message, structs, type ApiSpec } from '../schema.js';

// v0 (several old-style offsets per partition) is not served. v7 adds the max-timestamp query (-3),
// v8 earliest-local (-4), v9 latest-tiered (-5), v10 a timeout for tiered reads.
export const ListOffsets: ApiSpec = {
  apiKey: 2,
  name: 'ListOffsets',
  minVersion: 1,
  maxVersion: 10,
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
    f('timeoutMs', 'int32', '10+', { default: 30_000 }),
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
