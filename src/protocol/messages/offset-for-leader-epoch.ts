import { f, message, structs, type ApiSpec } from '../schema.js';

// v0-1 are deprecated in Kafka but still what old librdkafka sends; all of 0-4 is one layout plus fields.
export const OffsetForLeaderEpoch: ApiSpec = {
  apiKey: 23,
  name: 'OffsetForLeaderEpoch',
  minVersion: 2, // Kafka 4.0 removed the older versions (KIP-896)
  maxVersion: 4,
  request: message('OffsetForLeaderEpochRequest', 4, [
    f('replicaId', 'int32', '3+', { default: -2 }),
    f(
      'topics',
      structs(
        f('topic', 'string'),
        f('partitions', structs(f('partition', 'int32'), f('currentLeaderEpoch', 'int32', '2+', { default: -1 }), f('leaderEpoch', 'int32'))),
      ),
    ),
  ]),
  response: message('OffsetForLeaderEpochResponse', 4, [
    f('throttleTimeMs', 'int32', '2+'),
    f(
      'topics',
      structs(
        f('topic', 'string'),
        f(
          'partitions',
          structs(f('errorCode', 'int16'), f('partition', 'int32'), f('leaderEpoch', 'int32', '1+', { default: -1 }), f('endOffset', 'int64', '0+', { default: -1 })),
        ),
      ),
    ),
  ]),
};
