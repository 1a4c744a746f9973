import { f, message, structs, type ApiSpec } from '../schema.js';

export const OffsetCommit: ApiSpec = {
  apiKey: 8,
  name: 'OffsetCommit',
  minVersion: 2, // Kafka 4.0 removed the older versions (KIP-896)
  maxVersion: 8,
  request: message('OffsetCommitRequest', 8, [
    f('groupId', 'string'),
    f('generationIdOrMemberEpoch', 'int32', '1+', { default: -1 }),
    f('memberId', 'string', '1+'),
    f('groupInstanceId', 'string', '7+', { nullable: '7+', default: null }),
    f('retentionTimeMs', 'int64', '2-4', { default: -1 }),
    f(
      'topics',
      structs(
        f('name', 'string'),
        f(
          'partitions',
          structs(
            f('partitionIndex', 'int32'),
            f('committedOffset', 'int64'),
            f('committedLeaderEpoch', 'int32', '6+', { default: -1 }),
            f('commitTimestamp', 'int64', '1', { default: -1 }),
            f('committedMetadata', 'string', '0+', { nullable: '0+' }),
          ),
        ),
      ),
    ),
  ]),
  response: message('OffsetCommitResponse', 8, [
    f('throttleTimeMs', 'int32', '3+'),
    f('topics', structs(f('name', 'string'), f('partitions', structs(f('partitionIndex', 'int32'), f('errorCode', 'int16'))))),
  ]),
};
