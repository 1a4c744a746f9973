import { InitProducerId } from '../../protocol/messages/init-producer-id.js';
import { TransactionalIdAuthorizationFailedError } from '../../errors.js';
import type { ApiHandler } from '../context.js';
import { wireError } from '../error-code.js';

interface InitProducerIdRequest {
  transactionalId: string | null;
  producerId: number;
  producerEpoch: number;
}

export const initProducerId: ApiHandler = {
  spec: InitProducerId,
  handle(req: InitProducerIdRequest, ctx) {
    if (req.transactionalId !== null) {
      const { errorCode } = wireError(new TransactionalIdAuthorizationFailedError('Transactions are not supported by kafkit.'));
      return { throttleTimeMs: 0, errorCode, producerId: -1, producerEpoch: -1 };
    }
    // A producer re-initialising after an error keeps its id with a bumped epoch.
    if (req.producerId >= 0 && req.producerEpoch >= 0 && req.producerEpoch < 32767) {
      return { throttleTimeMs: 0, errorCode: 0, producerId: req.producerId, producerEpoch: req.producerEpoch + 1 };
    }
    return { throttleTimeMs: 0, errorCode: 0, producerId: ctx.server.producers.allocateId(), producerEpoch: 0 };
  },
};
