// The perf tools' report lines, against the format strings of Kafka 4.1's ProducerPerformance,
// ConsumerPerformance and ToolsUtils.printMetrics.
import { describe, expect, it } from 'vitest';
import {
  consumerHeader,
  consumerIntervalRow,
  consumerTimeoutWarning,
  consumerTotalRow,
  javaFixed,
  latencyPercentiles,
  metricsTable,
  producerTotalLine,
  producerWindowLine,
  simpleDateFormat,
} from '../../src/format/perf.js';
import { ProducerStats } from '../../src/commands/perf/producer-stats.js';
import { ThroughputThrottler } from '../../src/commands/perf/throttler.js';
import { UsageError } from '../../src/errors.js';

describe("javaFixed (Java's %.Nf)", () => {
  it('rounds half up on the shortest decimal form, as java.util.Formatter does', () => {
    expect(javaFixed(1.005, 2)).toBe('1.01'); // toFixed: 1.00
    expect(javaFixed(0.125, 2)).toBe('0.13');
    expect(javaFixed(2.5, 0)).toBe('3');
    expect(javaFixed(229095.07445589917, 6)).toBe('229095.074456');
    expect(javaFixed(1e-7, 4)).toBe('0.0000');
    expect(javaFixed(1.5e21, 1)).toBe('1500000000000000000000.0');
    expect(javaFixed(0, 4)).toBe('0.0000');
    expect(javaFixed(-0.5, 1)).toBe('-0.5');
  });
  it('prints NaN and Infinity by name', () => {
    expect(javaFixed(0 / 0, 2)).toBe('NaN');
    expect(javaFixed(1 / 0, 4)).toBe('Infinity');
    expect(javaFixed(-1 / 0, 4)).toBe('-Infinity');
  });
});

describe('producer lines', () => {
  const w = { count: 1000, bytes: 100_000, elapsedMs: 4000, totalLatencyMs: 2500, maxLatencyMs: 42 };
  it('the 5-second window line: %d, %.1f, (%.2f MB/sec), %.1f, %.1f', () => {
    expect(producerWindowLine(w)).toBe('1000 records sent, 250.0 records/sec (0.02 MB/sec), 2.5 ms avg latency, 42.0 ms max latency.');
  });
  it('the total line: %d, %f, (%.2f MB/sec), %.2f, %.2f, then four %d percentiles', () => {
    expect(producerTotalLine({ count: 200000, bytes: 20_000_000, elapsedMs: 873, totalLatencyMs: 3_206_000, maxLatencyMs: 61 }, [14, 33, 54, 59])).toBe(
      '200000 records sent, 229095.074456 records/sec (21.85 MB/sec), 16.03 ms avg latency, 61.00 ms max latency, 14 ms 50th, 33 ms 95th, 54 ms 99th, 59 ms 99.9th.',
    );
  });
  it("percentiles index floor(p x size) of the sorted samples, as Kafka's do", () => {
    const samples = Int32Array.from([5, 1, 4, 2, 3, 0, 0]);
    expect(latencyPercentiles(samples, 5, [0.5, 0.95, 0.99, 0.999])).toEqual([3, 5, 5, 5]);
    expect(latencyPercentiles(new Int32Array(3), 0, [0.5])).toEqual([0]);
  });
});

describe('ProducerStats', () => {
  it('prints a window once 5 s have passed since the window started, and totals every record', () => {
    let clock = 1000;
    const lines: string[] = [];
    const stats = new ProducerStats(10, (l) => lines.push(l), () => clock);
    stats.record(2, 100, 1000);
    stats.record(4, 100, 5999);
    expect(lines).toEqual([]);
    clock = 7000;
    stats.record(6, 100, 7000);
    expect(lines).toEqual(['3 records sent, 0.5 records/sec (0.00 MB/sec), 4.0 ms avg latency, 6.0 ms max latency.']);
    stats.record(1, 100, 7000);
    clock = 9000;
    expect(stats.totalLine()).toBe('4 records sent, 0.500000 records/sec (0.00 MB/sec), 3.25 ms avg latency, 6.00 ms max latency, 4 ms 50th, 6 ms 95th, 6 ms 99th, 6 ms 99.9th.');
  });
  it('samples every (n / 500000)th latency beyond 500,000 records', () => {
    const stats = new ProducerStats(1_000_000, () => undefined, () => 0);
    for (let i = 0; i < 10; i++) stats.record(i, 1, 0);
    // Samples 0, 2, 4, 6, 8: the median of those five is 4.
    expect(stats.totalLine()).toContain(', 4 ms 50th, 8 ms 95th,');
  });
});

describe('ThroughputThrottler', () => {
  it('throttles only above the target rate, never at -1', () => {
    const t = new ThroughputThrottler(100, 0);
    expect(t.shouldThrottle(50, 1000)).toBe(false);
    expect(t.shouldThrottle(150, 1000)).toBe(true);
    expect(t.shouldThrottle(150, 0)).toBe(false);
    expect(new ThroughputThrottler(-1, 0).shouldThrottle(1e9, 1)).toBe(false);
  });
  it('sleeps only once 2 ms of sleep are owed', async () => {
    const t = new ThroughputThrottler(1000, 0);
    expect(t.throttle()).toBeUndefined();
    const start = performance.now();
    await t.throttle();
    expect(performance.now() - start).toBeGreaterThanOrEqual(1.5);
  });
});

describe('consumer lines', () => {
  const utc = (ms: number) => new Date(ms).toISOString();
  it("Kafka's headers", () => {
    expect(consumerHeader(false)).toBe('start.time, end.time, data.consumed.in.MB, MB.sec, data.consumed.in.nMsg, nMsg.sec, rebalance.time.ms, fetch.time.ms, fetch.MB.sec, fetch.nMsg.sec');
    expect(consumerHeader(true)).toBe('time, threadId, data.consumed.in.MB, MB.sec, data.consumed.in.nMsg, nMsg.sec, rebalance.time.ms, fetch.time.ms, fetch.MB.sec, fetch.nMsg.sec');
  });
  it('the summary row: %s, %s, %.4f, %.4f, %d, %.4f, %d, %d, %.4f, %.4f', () => {
    const row = consumerTotalRow({ startMs: 0, endMs: 306, bytes: 20_000_000, messages: 200_000, joinTimeMs: 34 }, utc);
    expect(row).toBe('1970-01-01T00:00:00.000Z, 1970-01-01T00:00:00.306Z, 19.0735, 62.3317, 200000, 653594.7712, 34, 272, 70.1231, 735294.1176');
  });
  it('a detailed row, with thread id 0 and a zero fetch time giving 0.0000', () => {
    expect(consumerIntervalRow({ bytes: 2 * 1048576, lastBytes: 1048576, messages: 300, lastMessages: 100, startMs: 1000, endMs: 3000, joinTimeMs: 1000 }, utc)).toBe(
      '1970-01-01T00:00:03.000Z, 0, 2.0000, 0.5000, 300, 100.0000, 1000, 1000, 1.0000, 200.0000',
    );
    expect(consumerIntervalRow({ bytes: 10, lastBytes: 0, messages: 1, lastMessages: 0, startMs: 0, endMs: 5, joinTimeMs: 5 }, utc)).toMatch(/, 5, 0, 0\.0000, 0\.0000$/);
  });
  it("the timeout warning is Kafka's", () => {
    expect(consumerTimeoutWarning(1000)).toBe('WARNING: Exiting before consuming the expected number of messages: timeout (1000 ms) exceeded. You can use the --timeout option to increase the timeout.');
  });
});

describe('simpleDateFormat', () => {
  const at = new Date(2024, 0, 5, 7, 8, 9, 42).getTime();
  it("Kafka's default pattern, in the local time zone", () => {
    expect(simpleDateFormat('yyyy-MM-dd HH:mm:ss:SSS')(at)).toBe('2024-01-05 07:08:09:042');
  });
  it('other letters and quoted text', () => {
    expect(simpleDateFormat("EEE, d MMM yy h:mm a 'at' s's'")(at)).toBe('Fri, 5 Jan 24 7:08 AM at 9s');
    expect(simpleDateFormat("''yyyy''")(at)).toBe("'2024'");
  });
  it("refuses a letter SimpleDateFormat does not know, with Java's message", () => {
    expect(() => simpleDateFormat('yyyy-qq')).toThrow(new UsageError("Illegal pattern character 'q'"));
  });
});

describe('metricsTable (ToolsUtils.printMetrics)', () => {
  it('a blank line, the header padded to the longest name, then sorted name : %.3f lines', () => {
    const m = new Map([
      ['producer-metrics:record-send-total:{client-id=c}', 10],
      ['producer-metrics:record-error-total:{client-id=c}', 0],
    ]);
    expect(metricsTable(m)).toBe(
      '\n' +
        'Metric Name                                         Value\n' +
        'producer-metrics:record-error-total:{client-id=c} : 0.000\n' +
        'producer-metrics:record-send-total:{client-id=c}  : 10.000\n',
    );
  });
});
