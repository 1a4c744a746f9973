// kafkajs errors mapped onto kafkit's typed errors by Kafka error name/code.
import { unreachable } from './probe.js';
import { KafkaStorageError, KafkitError, NotEnoughReplicasError, RequestTimedOutError, UnknownServerError, errorForCode } from '../../errors.js';


interface KafkaJSLike extends Error {
  type?: string;
  code?: number;
  retriable?: boolean;
  cause?: unknown;
}

/** The clients give only Kafka's short text; a Java client prints the exception, and the likely cause is worth naming. */
export function brokerStorageError(): KafkaStorageError {
  return new KafkaStorageError(`org.apache.kafka.common.errors.KafkaStorageException: Disk error when trying to access log file on the disk. Check the broker's log dirs (a full disk?) and retry.`);
}

export function mapRemoteError(err: unknown, bootstrap: string): KafkitError {
  if (err instanceof KafkitError) return err;
  // kafkajs reports per-topic failures of CreateTopics as one aggregate of protocol errors.
  const outer = ((err as { errors?: KafkaJSLike[] })?.errors?.find((x) => typeof x?.code === 'number') ?? err) as KafkaJSLike;
  // kafkajs' retrier wraps the broker's error (KafkaJSNumberOfRetriesExceeded): map by the cause's code.
  const cause = outer?.cause as KafkaJSLike | undefined;
  const e = typeof outer?.code !== 'number' && typeof cause?.code === 'number' ? cause : outer;
  // kafkajs and librdkafka give only "not enough in-sync replicas"; a Java client prints Kafka's exception text.
  if (e?.code === NotEnoughReplicasError.info.code) {
    return new NotEnoughReplicasError('org.apache.kafka.common.errors.NotEnoughReplicasException: Messages are rejected since there are fewer in-sync replicas than required. Start the stopped brokers, or send with acks=1.');
  }
  if (e?.code === KafkaStorageError.info.code) return brokerStorageError();
  if (typeof e?.code === 'number' && e.code > 0) return errorForCode(e.code, e.message);
  const text = `${e?.name ?? ''} ${e?.message ?? ''} ${(e?.cause as Error | undefined)?.message ?? ''}`;
  if (/ECONNREFUSED|ENOTFOUND|EHOSTUNREACH|Connection error|Connection timeout|KafkaJSConnectionError|Failed to connect/i.test(text)) {
    return unreachable(bootstrap);
  }
  if (/timed out|timeout/i.test(text)) return new RequestTimedOutError(`${e?.message ?? 'Request timed out'} (cluster ${bootstrap}); raise --timeout if the cluster is slow.`);
  return new UnknownServerError(e?.message ?? String(err));
}

/** Runs a kafkajs call and rethrows its failure as a kafkit error. */
export async function remote<T>(bootstrap: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw mapRemoteError(err, bootstrap);
  }
}
