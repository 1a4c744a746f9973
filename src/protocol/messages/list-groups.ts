import { arrayOf, f, message, structs, type ApiSpec } from '../schema.js';

export const ListGroups: ApiSpec = {
  apiKey: 16,
  name: 'ListGroups',
  minVersion: 0,
  maxVersion: 5,
  request: message('ListGroupsRequest', 3, [f('statesFilter', arrayOf('string'), '4+'), f('typesFilter', arrayOf('string'), '5+')]),
  response: message('ListGroupsResponse', 3, [
    f('throttleTimeMs', 'int32', '1+'),
    f('errorCode', 'int16'),
    f('groups', structs(f('groupId', 'string'), f('protocolType', 'string'), f('groupState', 'string', '4+'), f('groupType', 'string', '5+'))),
  ]),
};
