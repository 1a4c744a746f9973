// In-memory KafkaClient for the console tools' tests: records what the producer was asked to send
// and when it was flushed, and feeds the consumer scripted poll results.
import { PassThrough, Readable } from 'node:stream';
import type { Consumer, ConsumerOptions, ConsumerRecord, KafkaClient, Producer, ProducerOptions, ProducerRecord, TopicPartition } from '../../src/client/types.js';
import { runCommand, type CommandIO, type ParsedArgs, type ToolSpec } from '../../src/commands/cli.js';

export interface FakeState {
  producerOptions?: ProducerOptions;
  consumerOptions?: ConsumerOptions;
  /** Every event in order: `send <value>`, `flush`, `close`, `subscribe ...`, `seek ...`, `poll`, ... */
  log: string[];
  sent: ProducerRecord[];
  /** Records in the order they became durable (flushed). */
  flushed: ProducerRecord[];
  clientClosed: boolean;
}

export interface FakeOptions {
  /** Poll results in order; after them poll returns [] (after waiting its timeout, up to 20 ms). */
  polls?: ConsumerRecord[][];
  /** send() returns a promise for every n-th record (backpressure). */
  backpressureEvery?: number;
  /** Called at the start of each poll with its index (e.g. to raise a signal). */
  onPoll?: (index: number, consumer: Consumer) => void;
}

export function fakeClient(opts: FakeOptions = {}): { client: KafkaClient; state: FakeState } {
  const state: FakeState = { log: [], sent: [], flushed: [], clientClosed: false };
  const polls = [...(opts.polls ?? [])];
  let pending: ProducerRecord[] = [];
  const client: KafkaClient = {
    kind: 'embedded',
    admin: () => Promise.reject(new Error('admin not used by the console tools')),
    async producer(options) {
      state.producerOptions = options;
      const producer: Producer = {
        send(record) {
          state.sent.push(record);
          pending.push(record);
          state.log.push(`send ${record.value === null ? 'null' : record.value.toString()}`);
          if (opts.backpressureEvery && state.sent.length % opts.backpressureEvery === 0) {
            return new Promise<void>((resolve) => setTimeout(() => {
              state.log.push('drained');
              resolve();
            }, 1));
          }
          return undefined;
        },
        async flush() {
          state.log.push('flush');
          state.flushed.push(...pending);
          pending = [];
        },
        async close() {
          await producer.flush();
          state.log.push('close');
        },
      };
      return producer;
    },
    async consumer(options) {
      state.consumerOptions = options;
      let woken = false;
      let index = 0;
      const consumer: Consumer = {
        async subscribe(topics) {
          state.log.push(`subscribe ${topics instanceof RegExp ? topics.source : topics.join(',')}`);
        },
        async assign(partitions: TopicPartition[]) {
          state.log.push(`assign ${partitions.map((p) => `${p.topic}-${p.partition}`).join(',')}`);
        },
        async seek(tp, offset) {
          state.log.push(`seek ${tp.topic}-${tp.partition} ${offset}`);
        },
        async poll(timeoutMs) {
          opts.onPoll?.(index++, consumer);
          if (woken) {
            woken = false;
            return [];
          }
          const next = polls.shift();
          if (next) return next;
          await new Promise((r) => setTimeout(r, Math.min(timeoutMs, 20)));
          return [];
        },
        assignment: () => [],
        async commit() {
          state.log.push('commit');
        },
        wakeup() {
          woken = true;
        },
        async close() {
          state.log.push('consumer close');
        },
      };
      return consumer;
    },
    async close() {
      state.clientClosed = true;
    },
  };
  return { client, state };
}

export function record(offset: number, value: string | Buffer | null, extra: Partial<ConsumerRecord> = {}): ConsumerRecord {
  return {
    topic: 't', partition: 0, offset, timestamp: 1700000000000 + offset, timestampType: 'CreateTime',
    key: null, value: typeof value === 'string' ? Buffer.from(value) : value, headers: [], leaderEpoch: 0, ...extra,
  };
}

export interface Ran {
  code: number;
  stdout: string;
  stderr: string;
  stdoutStream: PassThrough;
}

/** Runs a console tool in-process against a fake client. */
export async function runWith(
  cmd: { tool: ToolSpec; handler: (a: ParsedArgs, io: CommandIO, client?: KafkaClient) => Promise<number> },
  client: KafkaClient,
  argv: string[],
  options: { stdin?: string | Buffer | Array<string | Buffer>; isTTY?: boolean; stdout?: PassThrough } = {},
): Promise<Ran> {
  const stdout = options.stdout ?? new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (d) => (out += d));
  stderr.on('data', (d) => (err += d));
  const chunks = Array.isArray(options.stdin) ? options.stdin : [options.stdin ?? ''];
  const io: CommandIO = {
    stdout, stderr,
    stdin: Readable.from(chunks.map((c) => (typeof c === 'string' ? Buffer.from(c) : c))),
    isTTY: options.isTTY ?? false,
    env: { NO_COLOR: '1' },
  };
  const code = await runCommand(cmd.tool, (a, i) => cmd.handler(a, i, client), argv, io);
  return { code, stdout: out, stderr: err, stdoutStream: stdout };
}
