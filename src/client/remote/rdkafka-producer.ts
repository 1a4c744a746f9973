// The producer on a real cluster through librdkafka (node-rdkafka), when it is installed: librdkafka
// batches, compresses, retries and keeps the acks, faster than kafkajs (docs/remote-backend.md).
// Keyed records go where Java's producer puts them (librdkafka's murmur2 partitioner is Java's),
// null keys stick to a partition per batch, as Java's uniform sticky partitioner does.
import { isUtf8 } from 'node:buffer';
import type { Producer, ProducerOptions, ProducerRecord, Properties, SendCallback } from '../types.js';
import type * as Rdkafka from 'node-rdkafka';
import { RequestTimedOutError, UnsupportedVersionError } from '../../errors.js';
import { ERR_ALL_BROKERS_DOWN, ERR_QUEUE_FULL, ERR_TIMED_OUT, connectionProperties, mapRdkafkaError, producerProperties, type RdkafkaModule } from './librdkafka.js';
import { RECORD_TOO_LARGE_CODE, recordTooLarge } from './record-size.js';

export async function createRdkafkaProducer(rdkafka: RdkafkaModule, bootstrap: string, connection: Properties, timeoutMs: number, options: ProducerOptions): Promise<Producer> {
  const props = producerProperties(options.properties);
  const maxRequestSize = Number(props.global['message.max.bytes'] ?? 1_048_576);
  const create = () =>
    new rdkafka.Producer(
      {
        ...connectionProperties(bootstrap, { ...connection, 'client.id': options.clientId }),
        // Java's max.request.size default (librdkafka's own is 1000000).
        'message.max.bytes': 1_048_576,
        ...props.global,
        'compression.codec': options.compression,
        ...(options.batchSize === undefined ? {} : { 'batch.size': Math.max(1, options.batchSize) }),
        ...(options.lingerMs === undefined ? {} : { 'linger.ms': Math.max(0, options.lingerMs) }),
        // Successes need no callback each: flush() waiting for the queue to drain is the acknowledgement,
        // unless send() is given callbacks (the report carries the callback as its opaque).
        dr_cb: true,
        'delivery.report.only.error': !options.deliveryReports,
      } as never,
      // Topic-level properties: node-rdkafka replaces the global config's topic defaults with these.
      {
        'request.required.acks': options.acks,
        // Java's delivery.timeout.ms default; librdkafka's own is 300 s.
        'message.timeout.ms': 120_000,
        ...props.topic,
        partitioner: 'murmur2_random',
      } as never,
    );
  // node-rdkafka's connect waits for metadata in a thread that nothing can interrupt, and the
  // process cannot exit before it returns. A first try bounded at 1 s lets a refused connection
  // (seen at once as an error event) end the run within that second; a slow cluster gets a second
  // try with the whole timeout.
  let producer: Rdkafka.Producer;
  try {
    producer = await connect(create(), bootstrap, Math.min(1000, timeoutMs));
  } catch (err) {
    if (!(err instanceof RequestTimedOutError)) throw err;
    producer = await connect(create(), bootstrap, timeoutMs);
  }

  let failure: Error | undefined;
  /** Callbacks given to send() whose report has not reached JS yet. */
  let awaitingReports = 0;
  producer.on('delivery-report', (err, report) => {
    const error = err ? mapRdkafkaError(err, bootstrap, report?.topic) : undefined;
    if (error && !failure) failure = error;
    const callback = report?.opaque as SendCallback | undefined;
    if (callback !== undefined) {
      awaitingReports--;
      callback(error);
    }
  });
  // Errors after the connection are seen by the records they fail (delivery reports).
  producer.on('event.error', () => undefined);
  // Reports reach JS only when polled: with callbacks, the poll interval adds to every latency measured.
  producer.setPollInterval(options.deliveryReports ? 1 : 100);

  const headerList = (record: ProducerRecord) => {
    if (!record.headers || record.headers.length === 0) return undefined;
    return record.headers.map((h) => {
      // node-rdkafka passes header values through a JS string: only text survives that.
      if (h.value === null || !isUtf8(h.value)) {
        throw new UnsupportedVersionError(
          `Header '${h.key}' has a ${h.value === null ? 'null' : 'binary (not UTF-8)'} value, which the remote backend (node-rdkafka) cannot send; give it a text value, or produce without --bootstrap-server.`,
        );
      }
      return { [h.key]: h.value.toString('utf8') };
    });
  };

  const produce = (record: ProducerRecord, onAcknowledged?: SendCallback): boolean => {
    try {
      producer.produce(record.topic, record.partition ?? null, record.value, record.key, record.timestamp ?? 0, onAcknowledged, headerList(record) as never);
      if (onAcknowledged !== undefined) awaitingReports++;
      return true;
    } catch (err) {
      const code = (err as { code?: number }).code;
      if (code === ERR_QUEUE_FULL) return false;
      if (code === RECORD_TOO_LARGE_CODE) throw recordTooLarge(record, maxRequestSize);
      throw mapRdkafkaError(err, bootstrap, record.topic);
    }
  };

  async function waitAndProduce(record: ProducerRecord, onAcknowledged?: SendCallback): Promise<void> {
    // librdkafka's queue is full (queue.buffering.max.messages/kbytes): wait for it to drain.
    do {
      producer.poll();
      await new Promise((r) => setTimeout(r, 2));
    } while (!produce(record, onAcknowledged));
  }

  let closed = false;
  const self: Producer = {
    send(record, onAcknowledged) {
      return produce(record, onAcknowledged) ? undefined : waitAndProduce(record, onAcknowledged);
    },
    async flush() {
      await new Promise<void>((resolve, reject) =>
        producer.flush(-1 as never, (err) => (err ? reject(mapRdkafkaError(err, bootstrap)) : resolve())),
      );
      // Delivery reports reach JS through the event loop after the flush that served them; with
      // callbacks, a batch of reports per poll, so poll until every callback has had its own.
      const deadline = Date.now() + 5000;
      do {
        producer.poll();
        await new Promise((r) => setImmediate(r));
        await new Promise((r) => setImmediate(r));
      } while (awaitingReports > 0 && Date.now() < deadline);
      if (failure) {
        const f = failure;
        failure = undefined;
        throw f;
      }
    },
    async close() {
      if (closed) return;
      closed = true;
      try {
        await self.flush();
      } finally {
        await new Promise<void>((resolve) => producer.disconnect(() => resolve()));
      }
    },
  };
  return self;
}

async function connect(producer: Rdkafka.Producer, bootstrap: string, timeoutMs: number): Promise<Rdkafka.Producer> {
  // Events arrive only while someone polls, hence the interval.
  const polling = setInterval(() => {
    try {
      producer.poll();
    } catch {
      // not connected yet
    }
  }, 50);
  try {
    await new Promise<void>((resolve, reject) => {
      // Error events carry no code (node-rdkafka gives them -1), only librdkafka's text.
      producer.on('event.error', (err: { message: string }) => {
        if (/all broker connections are down/.test(err.message)) reject(mapRdkafkaError({ code: ERR_ALL_BROKERS_DOWN }, bootstrap));
      });
      producer.connect({ timeout: timeoutMs } as never, (err) => {
        if (!err) resolve();
        else if (err.code === ERR_TIMED_OUT) reject(new RequestTimedOutError(`No answer from the Kafka cluster at ${bootstrap} within ${timeoutMs} ms: check --bootstrap-server and that its brokers are up.`));
        else reject(mapRdkafkaError(err, bootstrap));
      });
    });
    return producer;
  } catch (err) {
    try {
      producer.disconnect();
    } catch {
      // still connecting: nothing to flush
    }
    throw err;
  } finally {
    clearInterval(polling);
    producer.removeAllListeners('event.error');
  }
}
