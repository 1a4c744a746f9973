import { arrayOf, f, message, structs, type ApiSpec } from '../schema.js';

export const DeleteTopics: ApiSpec = {
  apiKey: 20,
  name: 'DeleteTopics',
  minVersion: 1, // Kafka 4.0 removed the older versions (KIP-896)
  maxVersion: 6,
  request: message('DeleteTopicsRequest', 4, [
    f('topics', structs(f('name', 'string', '6+', { nullable: '6+', default: null }), f('topicId', 'uuid', '6+')), '6+'),
    f('topicNames', arrayOf('string'), '0-5'),
    f('timeoutMs', 'int32'),
  ]),
  response: message('DeleteTopicsResponse', 4, [
    f('throttleTimeMs', 'int32', '1+'),
    f(
      'responses',
      structs(
        f('name', 'string', '0+', { nullable: '6+' }),
        f('topicId', 'uuid', '6+'),
        f('errorCode', 'int16'),
        f('errorMessage', 'string', '5+', { nullable: '5+', default: null }),
      ),
    ),
  ]),
};
