// The embedded producer's appends: a partition's finished batches go to the local cluster through
// the ReplicaManager, with Kafka's retries through a failover and splitting of batches a topic
// refuses as too large (Kafka's Sender).
import type { ProducerOptions, SendCallback } from '../../types.js';
import { decodeBatch, encodeBatch, type RecordInput } from '../../../engine/record/batch.js';
import { batchSizeAt } from '../../../engine/record/header.js';
import type { ReplicaManager } from '../../../engine/cluster/replica-manager.js';
import { KafkaStorageError, LeaderNotAvailableError, NotEnoughReplicasError, NotLeaderOrFollowerError, RecordTooLargeError, RequestTimedOutError, toKafkitError } from '../../../errors.js';
import { sleepSync } from '../../../engine/fs/sleep.js';
import type { Queue } from './accumulator.js';

/** The records' acknowledgement: the append returned, so every replica `acks` asks for has them. */
export function settle(acks: SendCallback[] | undefined, error: Error | undefined): void {
  if (acks === undefined) return;
  for (const ack of acks) ack(error);
}

export class Sender {
  /** The first failure since the last flush(), which flush() throws. */
  private failure: Error | undefined;
  // Kafka's producer through a failover: a partition without a leader holds its batches until
  // delivery.timeout.ms; a NOT_ENOUGH_REPLICAS answer is retried `retries` times, retry.backoff.ms
  // apart. Nothing was written by a refused attempt, so a retry never duplicates.
  private readonly retries: number;
  private readonly backoffMs: number;
  private readonly deliveryTimeoutMs: number;

  constructor(
    private readonly replicas: ReplicaManager,
    private readonly options: ProducerOptions,
  ) {
    this.retries = Number(options.properties.retries ?? 2147483647);
    this.backoffMs = Number(options.properties['retry.backoff.ms'] ?? 100);
    this.deliveryTimeoutMs = Number(options.properties['delivery.timeout.ms'] ?? 120000);
  }

  /** Records `e` for flush() unless an earlier failure is waiting; returns `e`. */
  fail(e: Error): Error {
    this.failure ??= e;
    return e;
  }

  takeFailure(): Error | undefined {
    const f = this.failure;
    this.failure = undefined;
    this.refused.clear();
    return f;
  }

  // A partition whose disk refused a batch refuses the batches after it until the next flush(), so
  // that the log never holds a later batch without an earlier one: Kafka's producer keeps a
  // partition's batches in order by retrying the failed one first (until delivery.timeout.ms).
  private readonly refused = new Map<string, Error>();

  /** Sends the finished batches of `q`; its request buffer is free again when this returns. */
  send(q: Queue): void {
    if (q.used === 0) return;
    const data = q.request.subarray(0, q.used);
    const acks = q.usedAcks;
    q.used = 0;
    q.usedAcks = undefined;
    settle(acks, this.appendRequest(q.topic, q.partition, data));
  }

  // The log takes the batches as they are (no second CRC pass: they were just built here); the
  // request buffer is free again when append returns. Returns the failure, if any.
  appendRequest(topic: string, partition: number, data: Buffer): Error | undefined {
    const key = `${topic}\0${partition}`;
    const refused = this.refused.get(key);
    if (refused) return this.fail(refused);
    try {
      this.withRetries(topic, partition, () => this.replicas.append(topic, partition, data, this.options.acks, { crcChecked: true }));
    } catch (err) {
      if (!(err instanceof RecordTooLargeError)) {
        const e = toKafkitError(err);
        if (e instanceof KafkaStorageError) this.refused.set(key, e);
        return this.fail(e);
      }
      // Nothing was written: retry batch by batch, splitting any that is too large.
      try {
        for (let pos = 0; pos < data.length; pos += batchSizeAt(data, pos)) {
          const records = decodeBatch(data, pos).records.map((d): RecordInput => ({ key: d.key, value: d.value, headers: d.headers, timestamp: d.timestamp }));
          this.appendSplitting(topic, partition, records);
        }
      } catch (e) {
        return this.fail(toKafkitError(e));
      }
    }
    return undefined;
  }

  // A batch above the topic's max.message.bytes is split rather than refused, as long as each
  // record fits on its own.
  private appendSplitting(topic: string, partition: number, records: RecordInput[]): void {
    const batch = encodeBatch(records, { compression: this.options.compression });
    try {
      this.withRetries(topic, partition, () => this.replicas.append(topic, partition, batch, this.options.acks));
    } catch (err) {
      if (err instanceof RecordTooLargeError && records.length > 1) {
        const half = Math.ceil(records.length / 2);
        this.appendSplitting(topic, partition, records.slice(0, half));
        this.appendSplitting(topic, partition, records.slice(half));
        return;
      }
      throw err;
    }
  }

  private withRetries<T>(topic: string, partition: number, attempt: () => T): T {
    const { retries, backoffMs, deliveryTimeoutMs } = this;
    const started = Date.now();
    for (let tries = 0; ; ) {
      try {
        return attempt();
      } catch (err) {
        const waiting = err instanceof LeaderNotAvailableError || err instanceof NotLeaderOrFollowerError;
        if (!waiting && !(err instanceof NotEnoughReplicasError)) throw err;
        if (!waiting && tries++ >= retries) throw err;
        if (Date.now() - started + backoffMs > deliveryTimeoutMs) {
          if (!waiting) throw err;
          throw new RequestTimedOutError(
            `org.apache.kafka.common.errors.TimeoutException: Expiring record(s) for ${topic}-${partition}: ${deliveryTimeoutMs} ms has passed since batch creation (${(err as Error).message})`,
          );
        }
        sleepSync(backoffMs);
      }
    }
  }
}
