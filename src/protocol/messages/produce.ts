import { f, message, structs, type ApiSpec } from '../schema.js';

// v3 is the first version that carries v2 record batches, the only format the engine stores.
export const Produce: ApiSpec = {
  apiKey: 0,
  name: 'Produce',
  minVersion: 3,
  maxVersion: 9,
  request: message('ProduceRequest', 9, [
    f('transactionalId', 'string', '3+', { nullable: '3+', default: null }),
    f('acks', 'int16'),
    f('timeoutMs', 'int32'),
    f('topicData', structs(f('name', 'string'), f('partitionData', structs(f('index', 'int32'), f('records', 'records', '0+', { nullable: '0+' }))))),
  ]),
  response: message('ProduceResponse', 9, [
    f(
      'responses',
      structs(
        f('name', 'string'),
        f(
          'partitionResponses',
          structs(
            f('index', 'int32'),
            f('errorCode', 'int16'),
            f('baseOffset', 'int64'),
            f('logAppendTimeMs', 'int64', '2+', { default: -1 }),
            f('logStartOffset', 'int64', '5+', { default: -1 }),
            f('recordErrors', structs(f('batchIndex', 'int32'), f('batchIndexErrorMessage', 'string', '8+', { nullable: '8+', default: null })), '8+'),
            f('errorMessage', 'string', '8+', { nullable: '8+', default: null }),
          ),
        ),
      ),
    ),
    f('throttleTimeMs', 'int32', '1+'),
  ]),
};
