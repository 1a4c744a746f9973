// kafka-consumer-perf-test: consumes --messages records in a group and prints Kafka 4.1's
// ConsumerPerformance CSV (a summary row, or a row per --reporting-interval).
import type { Consumer, KafkaClient } from '../client/types.js';
import { UsageError } from '../errors.js';
import { readPropertiesFile } from '../config/properties.js';
import { consumerHeader, consumerIntervalRow, consumerTimeoutWarning, consumerTotalRow, metricsTable, simpleDateFormat, type DateFormat } from '../format/perf.js';
import { runMain, type CommandIO, type ParsedArgs, type ToolSpec } from './cli.js';
import { clientFromArgs, connectionOptions } from './client-args.js';
import { assignor } from './kafka-console-consumer.js';
import { startProgress } from './perf/progress.js';

export const tool: ToolSpec = {
  name: 'kafka-consumer-perf-test',
  description: 'This tool is used to verify the consumer performance.',
  options: {
    ...connectionOptions,
    topic: { type: 'string', arg: 'topic', describe: 'REQUIRED: The topic to consume from.' },
    group: { type: 'string', arg: 'gid', defaultDescription: 'perf-consumer-<random number>', describe: 'The group id to consume on.' },
    'fetch-size': { type: 'number', arg: 'size', defaultDescription: '1048576', describe: 'The amount of data to fetch in a single request.' },
    'from-latest': { type: 'boolean', describe: 'If the consumer does not already have an established offset to consume from, start with the latest message present in the log rather than the earliest message.' },
    'socket-buffer-size': { type: 'number', arg: 'size', defaultDescription: '2097152', describe: 'The size of the tcp RECV size.' },
    'consumer.config': { type: 'string', arg: 'config file', describe: 'Consumer config properties file.' },
    'print-metrics': { type: 'boolean', describe: 'Print out the metrics.' },
    'show-detailed-stats': { type: 'boolean', describe: 'If set, stats are reported for each reporting interval as configured by reporting-interval' },
    timeout: { type: 'number', arg: 'milliseconds', optionalValue: true, defaultDescription: '10000', describe: 'The maximum allowed time in milliseconds between returned records.' },
    messages: { type: 'number', arg: 'count', describe: 'REQUIRED: The number of messages to send or consume' },
    'reporting-interval': { type: 'string', arg: 'interval_ms', defaultDescription: '5000', describe: 'Interval in milliseconds at which to print progress info.' },
    'date-format': { type: 'string', arg: 'date format', defaultDescription: 'yyyy-MM-dd HH:mm:ss:SSS', describe: 'The date format to use for formatting the time field. See java.text.SimpleDateFormat for options.' },
    'hide-header': { type: 'boolean', describe: 'If set, skips printing the header for the stats' },
  },
};

// Kafka's poll timeout in its loop: the --timeout check happens between polls.
const POLL_MS = 100;

export interface ConsumerPerfPlan {
  topic: string;
  messages: number;
  timeoutMs: number;
  reportingIntervalMs: number;
  detailed: boolean;
  hideHeader: boolean;
  printMetrics: boolean;
  dateFormat: DateFormat;
  props: Record<string, string>;
}

/** Kafka's checks in Kafka's order, and the consumer properties ConsumerPerfOptions.props() builds. */
export function plan(args: ParsedArgs, random = Math.random): ConsumerPerfPlan {
  if (typeof args.topic !== 'string') throw new UsageError('Missing required argument "[topic]"');
  if (args.messages === undefined) throw new UsageError('Missing required argument "[messages]"');
  const interval = args['reporting-interval'];
  if (interval !== undefined && !/^\d+$/.test(String(interval))) {
    throw new UsageError(`Cannot parse argument '${interval}' of option reporting-interval`);
  }
  const reportingIntervalMs = interval === undefined ? 5000 : Number(interval);
  if (reportingIntervalMs <= 0) throw new UsageError('Reporting interval must be greater than 0.');
  const dateFormat = simpleDateFormat(typeof args['date-format'] === 'string' ? args['date-format'] : 'yyyy-MM-dd HH:mm:ss:SSS');
  const props: Record<string, string> = typeof args['consumer.config'] === 'string' ? readPropertiesFile(args['consumer.config']) : {};
  props['group.id'] = typeof args.group === 'string' ? args.group : `perf-consumer-${Math.floor(random() * 100_000)}`;
  props['receive.buffer.bytes'] = String(args['socket-buffer-size'] ?? 2 * 1024 * 1024);
  props['max.partition.fetch.bytes'] = String(args['fetch-size'] ?? 1024 * 1024);
  props['auto.offset.reset'] = args['from-latest'] ? 'latest' : 'earliest';
  props['check.crcs'] = 'false';
  props['client.id'] ??= 'perf-consumer-client';
  const timeout = args.timeout;
  return {
    topic: args.topic,
    messages: args.messages as number,
    timeoutMs: timeout === undefined || timeout === '' ? 10_000 : Number(timeout),
    reportingIntervalMs,
    detailed: Boolean(args['show-detailed-stats']),
    hideHeader: Boolean(args['hide-header']),
    printMetrics: Boolean(args['print-metrics']),
    dateFormat,
    props,
  };
}

export async function handler(args: ParsedArgs, io: CommandIO, client?: KafkaClient): Promise<number> {
  const p = plan(args);
  const print = (line: string) => void io.stdout.write(`${line}\n`);
  if (!p.hideHeader) print(consumerHeader(p.detailed));
  const owned = client === undefined;
  const kafka = client ?? (await clientFromArgs(args, io, p.props));
  const progress = await startProgress(io, `Consuming ${p.messages} messages from ${p.topic}`);
  let consumer: Consumer | undefined;
  try {
    consumer = await kafka.consumer({
      groupId: p.props['group.id'],
      clientId: p.props['client.id'],
      autoCommit: (p.props['enable.auto.commit'] ?? 'true').trim().toLowerCase() === 'true',
      autoOffsetReset: p.props['auto.offset.reset'] as 'earliest' | 'latest',
      isolationLevel: p.props['isolation.level'] === 'read_committed' ? 'read_committed' : 'read_uncommitted',
      assignmentStrategy: assignor(p.props['partition.assignment.strategy']),
      sessionTimeoutMs: Number(p.props['session.timeout.ms'] ?? 45000),
      heartbeatIntervalMs: Number(p.props['heartbeat.interval.ms'] ?? 3000),
      properties: p.props,
    });
    const startMs = Date.now();
    // Rebalance time as Kafka's listener measures it: from losing the last partition (or from the
    // start) to being assigned some again. The contract has no listener, so it is seen between polls.
    let joinStartMs = startMs;
    let joinTimeMs = 0;
    let joinTimeInRound = 0;
    let assigned = false;
    await consumer.subscribe([p.topic]);
    let messages = 0;
    let bytes = 0;
    let lastMessages = 0;
    let lastBytes = 0;
    let now = Date.now();
    let lastReportMs = now;
    let lastConsumedMs = now;
    while (messages < p.messages && now - lastConsumedMs <= p.timeoutMs) {
      const records = await consumer.poll(POLL_MS);
      now = Date.now();
      const hasPartitions = consumer.assignment().length > 0;
      if (hasPartitions && !assigned) {
        joinTimeMs += now - joinStartMs;
        joinTimeInRound += now - joinStartMs;
      } else if (!hasPartitions && assigned) joinStartMs = now;
      assigned = hasPartitions;
      if (records.length > 0) lastConsumedMs = now;
      // Every record of the poll counts, also past --messages, as Kafka counts them.
      for (const r of records) {
        messages++;
        bytes += (r.key?.length ?? 0) + (r.value?.length ?? 0);
        if (now - lastReportMs >= p.reportingIntervalMs) {
          if (p.detailed) {
            progress.line(consumerIntervalRow({ bytes, lastBytes, messages, lastMessages, startMs: lastReportMs, endMs: now, joinTimeMs: joinTimeInRound }, p.dateFormat));
          }
          joinTimeInRound = 0;
          lastReportMs = now;
          lastMessages = messages;
          lastBytes = bytes;
        }
      }
      progress.update(`${messages} of ${p.messages} messages consumed from ${p.topic}`);
    }
    progress.stop();
    if (messages < p.messages) print(consumerTimeoutWarning(p.timeoutMs));
    const endMs = Date.now();
    await consumer.close();
    consumer = undefined;
    if (!p.detailed) print(consumerTotalRow({ startMs, endMs, bytes, messages, joinTimeMs }, p.dateFormat));
    if (p.printMetrics) {
      const tags = `{client-id=${p.props['client.id']}}`;
      const metric = (name: string) => `consumer-fetch-manager-metrics:${name}:${tags}`;
      const seconds = (endMs - startMs) / 1000;
      io.stdout.write(
        metricsTable(
          new Map([
            [metric('records-consumed-total'), messages],
            [metric('records-consumed-rate'), messages / seconds],
            [metric('bytes-consumed-total'), bytes],
            [metric('bytes-consumed-rate'), bytes / seconds],
          ]),
        ),
      );
    }
    return 0;
  } finally {
    progress.stop();
    if (consumer !== undefined) await consumer.close().catch(() => undefined);
    if (owned) await kafka.close();
  }
}

export function main(): Promise<void> {
  return runMain(tool, handler);
}
