import { arrayOf, f, message, structs, type ApiSpec } from '../schema.js';

export const Metadata: ApiSpec = {
  apiKey: 3,
  name: 'Metadata',
  minVersion: 0,
  maxVersion: 12,
  request: message('MetadataRequest', 9, [
    f('topics', structs(f('topicId', 'uuid', '10+'), f('name', 'string', '0+', { nullable: '10+' })), '0+', { nullable: '1+' }),
    f('allowAutoTopicCreation', 'bool', '4+', { default: true }),
    f('includeClusterAuthorizedOperations', 'bool', '8-10'),
    f('includeTopicAuthorizedOperations', 'bool', '8+'),
  ]),
  response: message('MetadataResponse', 9, [
    f('throttleTimeMs', 'int32', '3+'),
    f('brokers', structs(f('nodeId', 'int32'), f('host', 'string'), f('port', 'int32'), f('rack', 'string', '1+', { nullable: '1+', default: null }))),
    f('clusterId', 'string', '2+', { nullable: '2+', default: null }),
    f('controllerId', 'int32', '1+', { default: -1 }),
    f(
      'topics',
      structs(
        f('errorCode', 'int16'),
        f('name', 'string', '0+', { nullable: '12+' }),
        f('topicId', 'uuid', '10+'),
        f('isInternal', 'bool', '1+'),
        f(
          'partitions',
          structs(
            f('errorCode', 'int16'),
            f('partitionIndex', 'int32'),
            f('leaderId', 'int32'),
            f('leaderEpoch', 'int32', '7+', { default: -1 }),
            f('replicaNodes', arrayOf('int32')),
            f('isrNodes', arrayOf('int32')),
            f('offlineReplicas', arrayOf('int32'), '5+'),
          ),
        ),
        f('topicAuthorizedOperations', 'int32', '8+', { default: -2147483648 }),
      ),
    ),
    f('clusterAuthorizedOperations', 'int32', '8-10', { default: -2147483648 }),
  ]),
};
