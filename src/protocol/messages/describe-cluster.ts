import { f, message, structs, type ApiSpec } from '../schema.js';

export const DescribeCluster: ApiSpec = {
  apiKey: 60,
  name: 'DescribeCluster',
  minVersion: 0,
  maxVersion: 1,
  request: message('DescribeClusterRequest', 0, [f('includeClusterAuthorizedOperations', 'bool'), f('endpointType', 'int8', '1+', { default: 1 })]),
  response: message('DescribeClusterResponse', 0, [
    f('throttleTimeMs', 'int32'),
    f('errorCode', 'int16'),
    f('errorMessage', 'string', '0+', { nullable: '0+', default: null }),
    f('endpointType', 'int8', '1+', { default: 1 }),
    f('clusterId', 'string'),
    f('controllerId', 'int32', '0+', { default: -1 }),
    f('brokers', structs(f('brokerId', 'int32'), f('host', 'string'), f('port', 'int32'), f('rack', 'string', '0+', { nullable: '0+', default: null }))),
    f('clusterAuthorizedOperations', 'int32', '0+', { default: -2147483648 }),
  ]),
};
