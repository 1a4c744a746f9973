// The two size refusals of the remote producer, worded the same whichever library sends.
import type { ProducerRecord } from '../types.js';
import { RecordTooLargeError } from '../../errors.js';

export const RECORD_TOO_LARGE_CODE = RecordTooLargeError.info.code;

/** Java's producer counts key, value and headers against max.request.size. */
export function recordSize(record: ProducerRecord): number {
  return (record.key?.length ?? 0) + (record.value?.length ?? 0) + (record.headers ?? []).reduce((n, h) => n + h.key.length + (h.value?.length ?? 0), 0);
}

export function recordTooLarge(record: ProducerRecord, maxRequestSize: number): RecordTooLargeError {
  return new RecordTooLargeError(
    `The message is ${recordSize(record)} bytes (key, value and headers), larger than ${maxRequestSize}, which is the value of the max.request.size configuration; raise it with --producer-property max.request.size=<bytes>, or send smaller records.`,
  );
}

/** The broker refused a whole batch as above the topic's max.message.bytes. */
export function batchTooLarge(bootstrap: string, topic: string | undefined): RecordTooLargeError {
  return new RecordTooLargeError(
    `The cluster at ${bootstrap} refused a batch${topic ? ` of topic ${topic}` : ''} as larger than the topic's max.message.bytes: give --batch-size a value below it (the remote producer does not split a refused batch, as Java's producer does), or raise it with kafka-topics --alter --config max.message.bytes=<bytes>.`,
  );
}
