import { Produce } from '../../protocol/messages/produce.js';
import { CorruptRecordError, InvalidRecordError, InvalidRequestError, InvalidRequiredAcksError, TransactionalIdAuthorizationFailedError } from '../../errors.js';
import { OFFSET_ATTRIBUTES, TRANSACTIONAL_BIT } from '../../engine/record/header.js';
import { validateProducedBatch } from '../../engine/record/validate.js';
import type { ApiHandler, RequestContext } from '../context.js';
import { NONE, wireError } from '../error-code.js';
import { batchIdentity } from '../producer-states.js';
import { ledPartition } from '../partitions.js';

interface ProduceRequest {
  transactionalId: string | null;
  acks: number;
  timeoutMs: number;
  topicData: Array<{ name: string; partitionData: Array<{ index: number; records: Buffer | null }> }>;
}

/** v2 batch header: baseOffset(8) + batchLength(4) + ... + recordCount(4) = 61 bytes. */
const BATCH_HEADER = 61;

function appendPartition(ctx: RequestContext, topic: string, partition: number, records: Buffer | null, acks: 0 | 1 | -1) {
  const { replicas, producers } = ctx.server;
  ledPartition(ctx, topic, partition);
  if (!records || records.length < BATCH_HEADER) throw new CorruptRecordError(`The record set for ${topic}-${partition} is empty or too short to hold a batch.`);
  // As in Kafka: one batch per partition, so that a producer's sequence numbers are checked batch by batch.
  if (12 + records.readInt32BE(8) < records.length) {
    throw new InvalidRecordError(`Produce requests with version 3 or later must contain exactly one record batch per partition (${topic}-${partition}).`);
  }
  validateProducedBatch(records, 0, `${topic}-${partition}`);
  const key = `${topic}-${partition}`;
  const id = batchIdentity(records, 0);
  const duplicateOf = producers.check(key, id);
  if (duplicateOf !== undefined) return { baseOffset: duplicateOf, logAppendTimeMs: -1 };
  // Validated above, CRC included: the log need not check again.
  const res = replicas.append(topic, partition, records, acks, { crcChecked: true });
  producers.record(key, id, res.firstOffset);
  return { baseOffset: res.firstOffset, logAppendTimeMs: res.logAppendTime };
}

/** Kafka's RequestUtils.hasTransactionalRecords: the first batch of any partition is marked transactional. */
function hasTransactionalRecords(req: ProduceRequest): boolean {
  return req.topicData.some((t) => t.partitionData.some((p) => p.records !== null && p.records.length > OFFSET_ATTRIBUTES + 1 && (p.records.readInt16BE(OFFSET_ATTRIBUTES) & TRANSACTIONAL_BIT) !== 0));
}

export const produce: ApiHandler = {
  spec: Produce,
  handle(req: ProduceRequest, ctx) {
    const acks = req.acks;
    // As Kafka's KafkaApis: transactional batches need a transactional id the client may use, else
    // the whole request is refused (a read_committed consumer would otherwise deliver them as committed).
    const refuse =
      req.transactionalId === null && hasTransactionalRecords(req)
        ? new TransactionalIdAuthorizationFailedError('Transactional records were sent without a transactional id; set transactional.id or do not mark the batches transactional.')
        : req.transactionalId !== null
          ? new InvalidRequestError('Transactional produce is not supported by kafkit; use an idempotent, non-transactional producer.')
          : acks !== 0 && acks !== 1 && acks !== -1
            ? new InvalidRequiredAcksError(`acks must be 0, 1 or -1 (all), not ${acks}.`)
            : null;
    const responses = req.topicData.map((t) => ({
      name: t.name,
      partitionResponses: t.partitionData.map((p) => {
        if (refuse) return { index: p.index, ...wireError(refuse), baseOffset: -1 };
        try {
          const r = appendPartition(ctx, t.name, p.index, p.records, acks as 0 | 1 | -1);
          return {
            index: p.index,
            ...NONE,
            baseOffset: r.baseOffset,
            logAppendTimeMs: r.logAppendTimeMs,
            logStartOffset: ctx.server.replicas.logStartOffset(t.name, p.index),
          };
        } catch (err) {
          const e = wireError(err);
          if (acks === 0) ctx.server.log(`Produce to ${t.name}-${p.index} with acks=0 failed: ${e.errorMessage}`);
          return { index: p.index, ...e, baseOffset: -1 };
        }
      }),
    }));
    // acks=0: the client expects no response at all.
    if (acks === 0 && !refuse) return null;
    return { responses, throttleTimeMs: 0 };
  },
};
