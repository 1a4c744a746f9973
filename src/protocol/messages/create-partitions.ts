import { arrayOf, f, message, structs, type ApiSpec } from '../schema.js';

export const CreatePartitions: ApiSpec = {
  apiKey: 37,
  name: 'CreatePartitions',
  minVersion: 0,
  maxVersion: 3,
  request: message('CreatePartitionsRequest', 2, [
    f('topics', structs(f('name', 'string'), f('count', 'int32'), f('assignments', structs(f('brokerIds', arrayOf('int32'))), '0+', { nullable: '0+' }))),
    f('timeoutMs', 'int32'),
    f('validateOnly', 'bool'),
  ]),
  response: message('CreatePartitionsResponse', 2, [
    f('throttleTimeMs', 'int32'),
    f('results', structs(f('name', 'string'), f('errorCode', 'int16'), f('errorMessage', 'string', '0+', { nullable: '0+', default: null }))),
  ]),
};
