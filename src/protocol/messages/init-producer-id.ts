import { f, message, type ApiSpec } from '../schema.js';

export const InitProducerId: ApiSpec = {
  apiKey: 22,
  name: 'InitProducerId',
  minVersion: 0,
  maxVersion: 4,
  request: message('InitProducerIdRequest', 2, [
    f('transactionalId', 'string', '0+', { nullable: '0+' }),
    f('transactionTimeoutMs', 'int32'),
    f('producerId', 'int64', '3+', { default: -1 }),
    f('producerEpoch', 'int16', '3+', { default: -1 }),
  ]),
  response: message('InitProducerIdResponse', 2, [
    f('throttleTimeMs', 'int32'),
    f('errorCode', 'int16'),
    f('producerId', 'int64', '0+', { default: -1 }),
    f('producerEpoch', 'int16'),
  ]),
};
