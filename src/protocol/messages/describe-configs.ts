import { arrayOf, f, message, structs, type ApiSpec } from '../schema.js';

export const DescribeConfigs: ApiSpec = {
  apiKey: 32,
  name: 'DescribeConfigs',
  minVersion: 1, // Kafka 4.0 removed the older versions (KIP-896)
  maxVersion: 4,
  request: message('DescribeConfigsRequest', 4, [
    f('resources', structs(f('resourceType', 'int8'), f('resourceName', 'string'), f('configurationKeys', arrayOf('string'), '0+', { nullable: '0+' }))),
    f('includeSynonyms', 'bool', '1+'),
    f('includeDocumentation', 'bool', '3+'),
  ]),
  response: message('DescribeConfigsResponse', 4, [
    f('throttleTimeMs', 'int32'),
    f(
      'results',
      structs(
        f('errorCode', 'int16'),
        f('errorMessage', 'string', '0+', { nullable: '0+', default: null }),
        f('resourceType', 'int8'),
        f('resourceName', 'string'),
        f(
          'configs',
          structs(
            f('name', 'string'),
            f('value', 'string', '0+', { nullable: '0+' }),
            f('readOnly', 'bool'),
            f('isDefault', 'bool', '0'),
            f('configSource', 'int8', '1+', { default: -1 }),
            f('isSensitive', 'bool'),
            f('synonyms', structs(f('name', 'string'), f('value', 'string', '0+', { nullable: '0+' }), f('source', 'int8')), '1+'),
            f('configType', 'int8', '3+'),
            f('documentation', 'string', '3+', { nullable: '0+', default: null }),
          ),
        ),
      ),
    ),
  ]),
};
