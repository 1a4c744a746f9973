import { arrayOf, f, message, struct, structs, type ApiSpec } from '../schema.js';

// v4 is the first version whose response carries v2 batches with the last stable offset; v13+
// addresses topics by id only.
export const Fetch: ApiSpec = {
  apiKey: 1,
  name: 'Fetch',
  minVersion: 4,
  maxVersion: 12,
  request: message('FetchRequest', 12, [
    f('clusterId', 'string', '12+', { nullable: '12+', tag: 0, default: null }),
    f('replicaId', 'int32', '0-14', { default: -1 }),
    f('maxWaitMs', 'int32'),
    f('minBytes', 'int32'),
    f('maxBytes', 'int32', '3+', { default: 0x7fffffff }),
    f('isolationLevel', 'int8', '4+'),
    f('sessionId', 'int32', '7+'),
    f('sessionEpoch', 'int32', '7+', { default: -1 }),
    f(
      'topics',
      structs(
        f('topic', 'string', '0-12'),
        f(
          'partitions',
          structs(
            f('partition', 'int32'),
            f('currentLeaderEpoch', 'int32', '9+', { default: -1 }),
            f('fetchOffset', 'int64'),
            f('lastFetchedEpoch', 'int32', '12+', { default: -1 }),
            f('logStartOffset', 'int64', '5+', { default: -1 }),
            f('partitionMaxBytes', 'int32'),
          ),
        ),
      ),
    ),
    f('forgottenTopicsData', structs(f('topic', 'string', '7-12'), f('partitions', arrayOf('int32'))), '7+'),
    f('rackId', 'string', '11+'),
  ]),
  response: message('FetchResponse', 12, [
    f('throttleTimeMs', 'int32', '1+'),
    f('errorCode', 'int16', '7+'),
    f('sessionId', 'int32', '7+'),
    f(
      'responses',
      structs(
        f('topic', 'string', '0-12'),
        f(
          'partitions',
          structs(
            f('partitionIndex', 'int32'),
            f('errorCode', 'int16'),
            f('highWatermark', 'int64'),
            f('lastStableOffset', 'int64', '4+', { default: -1 }),
            f('logStartOffset', 'int64', '5+', { default: -1 }),
            f('abortedTransactions', structs(f('producerId', 'int64'), f('firstOffset', 'int64')), '4+', { nullable: '4+', default: null }),
            f('preferredReadReplica', 'int32', '11+', { default: -1 }),
            f('records', 'records', '0+', { nullable: '0+' }),
            // Where the fetcher's last epoch ends when its log diverged (an unclean election cut it).
            f('divergingEpoch', struct(f('epoch', 'int32', '12+', { default: -1 }), f('endOffset', 'int64', '12+', { default: -1 })), '12+', { tag: 0 }),
            // The leader as this broker knows it, so that a client told NOT_LEADER_OR_FOLLOWER need not ask Metadata first.
            f('currentLeader', struct(f('leaderId', 'int32', '12+', { default: -1 }), f('leaderEpoch', 'int32', '12+', { default: -1 })), '12+', { tag: 1 }),
          ),
        ),
      ),
    ),
  ]),
};
