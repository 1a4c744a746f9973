// Idempotent producers: per partition and producer id, the epoch and the sequence numbers of the
// last five batches, as a Kafka broker keeps them. A retried batch that was already appended is
// acknowledged again with its original offset instead of being written twice; a gap in sequence
// numbers is refused with OUT_OF_ORDER_SEQUENCE_NUMBER.
//
// The state lives in this server process only. After a restart an unknown producer id starts over
// from whatever sequence it sends, which is what Kafka does once a producer's state has expired.
import { randomInt } from 'node:crypto';
import { InvalidProducerEpochError, OutOfOrderSequenceNumberError } from '../errors.js';

const KEEP_BATCHES = 5;
const INT32_SPAN = 2 ** 31;

export interface BatchIdentity {
  producerId: number;
  producerEpoch: number;
  baseSequence: number;
  recordCount: number;
}

interface Entry {
  epoch: number;
  /** Recent batches: first and last sequence, and the offset they were written at. */
  batches: Array<{ first: number; last: number; baseOffset: number }>;
}

/** Reads the producer fields of the v2 batch header at `pos`. */
export function batchIdentity(buf: Buffer, pos: number): BatchIdentity {
  return {
    producerId: Number(buf.readBigInt64BE(pos + 43)),
    producerEpoch: buf.readInt16BE(pos + 51),
    baseSequence: buf.readInt32BE(pos + 53),
    recordCount: buf.readInt32BE(pos + 57),
  };
}

export class ProducerStates {
  private entries = new Map<string, Entry>();

  /** A new producer id: random, so that ids from different server runs do not collide. */
  allocateId(): number {
    return randomInt(1, 2 ** 47);
  }

  /**
   * Checks a batch before it is appended. Returns the original base offset when the batch is a
   * retry of one already written, undefined when it should be appended.
   */
  check(partitionKey: string, id: BatchIdentity): number | undefined {
    if (id.producerId < 0) return undefined;
    const entry = this.entries.get(`${partitionKey}:${id.producerId}`);
    if (!entry) return undefined;
    if (id.producerEpoch < entry.epoch) {
      throw new InvalidProducerEpochError(`Producer ${id.producerId} epoch ${id.producerEpoch} is older than the current epoch ${entry.epoch}.`);
    }
    if (id.producerEpoch > entry.epoch) return undefined;
    const last = lastSequence(id);
    const dup = entry.batches.find((b) => b.first === id.baseSequence && b.last === last);
    if (dup) return dup.baseOffset;
    const expected = (entry.batches[entry.batches.length - 1].last + 1) % INT32_SPAN;
    if (id.baseSequence !== expected) {
      throw new OutOfOrderSequenceNumberError(
        `Out of order sequence number for producer ${id.producerId} at ${partitionKey}: expected ${expected}, got ${id.baseSequence}.`,
      );
    }
    return undefined;
  }

  /** Records a batch that was appended at `baseOffset`. */
  record(partitionKey: string, id: BatchIdentity, baseOffset: number): void {
    if (id.producerId < 0) return;
    const key = `${partitionKey}:${id.producerId}`;
    let entry = this.entries.get(key);
    if (!entry || id.producerEpoch > entry.epoch) {
      entry = { epoch: id.producerEpoch, batches: [] };
      this.entries.set(key, entry);
    }
    entry.batches.push({ first: id.baseSequence, last: lastSequence(id), baseOffset });
    if (entry.batches.length > KEEP_BATCHES) entry.batches.shift();
  }
}

function lastSequence(id: BatchIdentity): number {
  return (id.baseSequence + id.recordCount - 1) % INT32_SPAN;
}
