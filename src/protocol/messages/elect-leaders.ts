import { arrayOf, f, message, structs, type ApiSpec } from '../schema.js';

export const ElectLeaders: ApiSpec = {
  apiKey: 43,
  name: 'ElectLeaders',
  minVersion: 0,
  maxVersion: 2,
  request: message('ElectLeadersRequest', 2, [
    // v0 knows only preferred elections (0).
    f('electionType', 'int8', '1+'),
    // null: every partition of the cluster.
    f('topicPartitions', structs(f('topic', 'string'), f('partitions', arrayOf('int32'))), '0+', { nullable: '0+' }),
    f('timeoutMs', 'int32', '0+', { default: 60000 }),
  ]),
  response: message('ElectLeadersResponse', 2, [
    f('throttleTimeMs', 'int32'),
    f('errorCode', 'int16', '1+'),
    f(
      'replicaElectionResults',
      structs(
        f('topic', 'string'),
        f('partitionResult', structs(f('partitionId', 'int32'), f('errorCode', 'int16'), f('errorMessage', 'string', '0+', { nullable: '0+' }))),
      ),
    ),
  ]),
};
