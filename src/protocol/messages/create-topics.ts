import { arrayOf, f, message, structs, type ApiSpec } from '../schema.js';

export const CreateTopics: ApiSpec = {
  apiKey: 19,
  name: 'CreateTopics',
  minVersion: 2, // Kafka 4.0 removed the older versions (KIP-896)
  maxVersion: 7,
  request: message('CreateTopicsRequest', 5, [
    f(
      'topics',
      structs(
        f('name', 'string'),
        f('numPartitions', 'int32'),
        f('replicationFactor', 'int16'),
        f('assignments', structs(f('partitionIndex', 'int32'), f('brokerIds', arrayOf('int32')))),
        f('configs', structs(f('name', 'string'), f('value', 'string', '0+', { nullable: '0+' }))),
      ),
    ),
    f('timeoutMs', 'int32', '0+', { default: 60000 }),
    f('validateOnly', 'bool', '1+'),
  ]),
  response: message('CreateTopicsResponse', 5, [
    f('throttleTimeMs', 'int32', '2+'),
    f(
      'topics',
      structs(
        f('name', 'string'),
        f('topicId', 'uuid', '7+'),
        f('errorCode', 'int16'),
        f('errorMessage', 'string', '1+', { nullable: '0+', default: null }),
        f('numPartitions', 'int32', '5+', { default: -1 }),
        f('replicationFactor', 'int16', '5+', { default: -1 }),
        f(
          'configs',
          structs(
            f('name', 'string'),
            f('value', 'string', '5+', { nullable: '5+' }),
            f('readOnly', 'bool'),
            f('configSource', 'int8', '5+', { default: -1 }),
            f('isSensitive', 'bool'),
          ),
          '5+',
          { nullable: '5+' },
        ),
      ),
    ),
  ]),
};
