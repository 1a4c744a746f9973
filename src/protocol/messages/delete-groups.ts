import { arrayOf, f, message, structs, type ApiSpec } from '../schema.js';

export const DeleteGroups: ApiSpec = {
  apiKey: 42,
  name: 'DeleteGroups',
  minVersion: 0,
  maxVersion: 2,
  request: message('DeleteGroupsRequest', 2, [f('groupsNames', arrayOf('string'))]),
  response: message('DeleteGroupsResponse', 2, [f('throttleTimeMs', 'int32'), f('results', structs(f('groupId', 'string'), f('errorCode', 'int16')))]),
};
