import { f, message, structs, type ApiSpec } from '../schema.js';

export const LeaveGroup: ApiSpec = {
  apiKey: 13,
  name: 'LeaveGroup',
  minVersion: 0,
  maxVersion: 5,
  request: message('LeaveGroupRequest', 4, [
    f('groupId', 'string'),
    f('memberId', 'string', '0-2'),
    f(
      'members',
      structs(
        f('memberId', 'string'),
        f('groupInstanceId', 'string', '3+', { nullable: '3+', default: null }),
        f('reason', 'string', '5+', { nullable: '5+', default: null }),
      ),
      '3+',
    ),
  ]),
  response: message('LeaveGroupResponse', 4, [
    f('throttleTimeMs', 'int32', '1+'),
    f('errorCode', 'int16'),
    f('members', structs(f('memberId', 'string'), f('groupInstanceId', 'string', '3+', { nullable: '3+', default: null }), f('errorCode', 'int16')), '3+'),
  ]),
};
