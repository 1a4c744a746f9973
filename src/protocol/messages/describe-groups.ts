import { arrayOf, f, message, structs, type ApiSpec } from '../schema.js';

export const DescribeGroups: ApiSpec = {
  apiKey: 15,
  name: 'DescribeGroups',
  minVersion: 0,
  maxVersion: 5,
  request: message('DescribeGroupsRequest', 5, [f('groups', arrayOf('string')), f('includeAuthorizedOperations', 'bool', '3+')]),
  response: message('DescribeGroupsResponse', 5, [
    f('throttleTimeMs', 'int32', '1+'),
    f(
      'groups',
      structs(
        f('errorCode', 'int16'),
        f('groupId', 'string'),
        f('groupState', 'string'),
        f('protocolType', 'string'),
        f('protocolData', 'string'),
        f(
          'members',
          structs(
            f('memberId', 'string'),
            f('groupInstanceId', 'string', '4+', { nullable: '4+', default: null }),
            f('clientId', 'string'),
            f('clientHost', 'string'),
            f('memberMetadata', 'bytes'),
            f('memberAssignment', 'bytes'),
          ),
        ),
        f('authorizedOperations', 'int32', '3+', { default: -2147483648 }),
      ),
    ),
  ]),
};
