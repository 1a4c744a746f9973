import { arrayOf, f, message, structs, type ApiSpec } from '../schema.js';

// v8 batches several groups in one request; v0-7 fetch one group.
export const OffsetFetch: ApiSpec = {
  apiKey: 9,
  name: 'OffsetFetch',
  minVersion: 1, // Kafka 4.0 removed the older versions (KIP-896)
  maxVersion: 8,
  request: message('OffsetFetchRequest', 6, [
    f('groupId', 'string', '0-7'),
    f('topics', structs(f('name', 'string'), f('partitionIndexes', arrayOf('int32'))), '0-7', { nullable: '2-7' }),
    f(
      'groups',
      structs(f('groupId', 'string'), f('topics', structs(f('name', 'string'), f('partitionIndexes', arrayOf('int32'))), '8+', { nullable: '8+' })),
      '8+',
    ),
    f('requireStable', 'bool', '7+'),
  ]),
  response: message('OffsetFetchResponse', 6, [
    f('throttleTimeMs', 'int32', '3+'),
    f('topics', structs(f('name', 'string'), f('partitions', partitionFields('0-7'))), '0-7'),
    f('errorCode', 'int16', '2-7'),
    f('groups', structs(f('groupId', 'string'), f('topics', structs(f('name', 'string'), f('partitions', partitionFields('8+')))), f('errorCode', 'int16')), '8+'),
  ]),
};

function partitionFields(versions: string) {
  return structs(
    f('partitionIndex', 'int32'),
    f('committedOffset', 'int64'),
    f('committedLeaderEpoch', 'int32', versions === '8+' ? '8+' : '5-7', { default: -1 }),
    f('metadata', 'string', '0+', { nullable: '0+' }),
    f('errorCode', 'int16'),
  );
}
