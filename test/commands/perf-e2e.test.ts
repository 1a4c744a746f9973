// kafka-producer-perf-test and kafka-consumer-perf-test through the real bins: embedded, and with
// --bootstrap-server against a kafka-server-start on port 0. The lines' shape is checked with
// Kafka's formats; the records are read back with kafka-console-consumer.
import { afterEach, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { bin, cleanTempDirs, tempDir } from '../helpers.js';
import { startServerProcess } from '../server/server-process.js';

afterEach(cleanTempDirs);

const TOTAL = /^(\d+) records sent, \d+\.\d{6} records\/sec \(\d+\.\d{2} MB\/sec\), \d+\.\d{2} ms avg latency, \d+\.\d{2} ms max latency, \d+ ms 50th, \d+ ms 95th, \d+ ms 99th, \d+ ms 99\.9th\.$/;
const HEADER = 'start.time, end.time, data.consumed.in.MB, MB.sec, data.consumed.in.nMsg, nMsg.sec, rebalance.time.ms, fetch.time.ms, fetch.MB.sec, fetch.nMsg.sec';
const DATE = '\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}:\\d{3}';
const F4 = '(?:\\d+\\.\\d{4}|NaN|Infinity)';
const row = (mb: string, count: number) => new RegExp(`^${DATE}, ${DATE}, ${mb}, ${F4}, ${count}, ${F4}, \\d+, -?\\d+, ${F4}, ${F4}$`);

async function consumeAll(dir: string, topic: string, n: number, extra: string[] = []): Promise<string[]> {
  const out = await bin('kafka-console-consumer', [...extra, '--topic', topic, '--from-beginning', '--max-messages', String(n), '--timeout-ms', '5000'], dir);
  expect(out.code).toBe(0);
  return out.stdout.split('\n').slice(0, -1);
}

describe('kafka-producer-perf-test (embedded)', () => {
  it('sends --num-records records of --record-size random capital letters and prints the total line only', async () => {
    const dir = tempDir();
    expect((await bin('kafka-topics', ['--create', '--topic', 'p', '--partitions', '3', '--replication-factor', '1'], dir)).code).toBe(0);
    const r = await bin('kafka-producer-perf-test', ['--topic', 'p', '--num-records', '5000', '--record-size', '100', '--throughput', '-1'], dir);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(TOTAL);
    expect(TOTAL.exec(lines[0])![1]).toBe('5000');
    const values = await consumeAll(dir, 'p', 5000);
    expect(values).toHaveLength(5000);
    expect(values.every((v) => /^[A-Z]{100}$/.test(v))).toBe(true);
  });

  it('--throughput holds the rate, with --producer-props taking several k=v after one flag', async () => {
    const dir = tempDir();
    const started = Date.now();
    const r = await bin('kafka-producer-perf-test', ['--topic', 't', '--num-records', '300', '--record-size', '10', '--throughput', '1000', '--producer-props', 'acks=1', 'linger.ms=0', '--print-metrics'], dir);
    expect(r.code).toBe(0);
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    const [total, ...metrics] = r.stdout.split('\n');
    const rate = Number(/records sent, (\S+) records\/sec/.exec(total)![1]);
    expect(rate).toBeLessThan(1300);
    expect(metrics[0]).toBe('');
    expect(metrics[1]).toMatch(/^Metric Name +Value$/);
    expect(metrics).toContain('producer-metrics:record-send-total:{client-id=perf-producer-client}  : 300.000');
    expect(await consumeAll(dir, 't', 300)).toHaveLength(300);
  });

  it('--payload-file: prints where it read and how many, and sends only those payloads', async () => {
    const dir = tempDir();
    const file = join(dir, 'payloads.txt');
    writeFileSync(file, 'alpha|beta|gamma|');
    const r = await bin('kafka-producer-perf-test', ['--topic', 'f', '--num-records', '50', '--payload-file', file, '--payload-delimiter', '\\|', '--throughput', '-1'], dir);
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines.slice(0, 2)).toEqual([`Reading payloads from: ${file}`, 'Number of messages read: 3']);
    expect(lines[2]).toMatch(TOTAL);
    const values = await consumeAll(dir, 'f', 50);
    expect(new Set(values).size).toBeGreaterThan(1);
    expect(values.every((v) => ['alpha', 'beta', 'gamma'].includes(v))).toBe(true);
  });

  it('--payload-monotonic sends 0, 1, 2, ...', async () => {
    const dir = tempDir();
    expect((await bin('kafka-producer-perf-test', ['--topic', 'm', '--num-records', '20', '--payload-monotonic', '--throughput', '-1'], dir)).code).toBe(0);
    expect((await consumeAll(dir, 'm', 20)).map(Number).sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i));
  });

  it("usage errors are Kafka's, on stderr, exit 1", async () => {
    const dir = tempDir();
    const cases: Array<[string[], string]> = [
      [['--topic', 't', '--record-size', '1', '--throughput', '-1'], 'argument --num-records is required'],
      [['--topic', 't', '--num-records', '1', '--throughput', '-1'], 'one of the arguments --record-size --payload-file --payload-monotonic is required'],
      [['--topic', 't', '--num-records', '1', '--record-size', '1', '--payload-monotonic', '--throughput', '-1'], 'argument --payload-monotonic: not allowed with argument --record-size'],
      [['--topic', 't', '--num-records', '0', '--record-size', '1', '--throughput', '-1'], '--num-records should be greater than zero'],
      [['--topic', 't', '--num-records', '1', '--record-size', '1', '--throughput', '-1', '--producer-props', 'acks'], 'Invalid property: acks'],
      [['--topic', 't', '--num-records', '1', '--record-size', '1', '--throughput', '-1', '--transactional-id', 'x'], 'Transactions are not supported by kafkit (--transactional-id, --transaction-duration-ms, transactional.id): run the test without them.'],
      [['--topic', 't', '--num-records', '1', '--payload-file', join(dir, 'none'), '--throughput', '-1'], 'File does not exist or empty file provided.'],
    ];
    for (const [argv, message] of cases) {
      const r = await bin('kafka-producer-perf-test', argv, dir);
      expect({ argv, code: r.code, stderr: r.stderr }).toEqual({ argv, code: 1, stderr: `${message}\n` });
    }
  });
});

describe('kafka-consumer-perf-test (embedded)', () => {
  it("prints Kafka's header and one summary row of what it consumed", async () => {
    const dir = tempDir();
    expect((await bin('kafka-producer-perf-test', ['--topic', 'c', '--num-records', '5000', '--record-size', '100', '--throughput', '-1'], dir)).code).toBe(0);
    const r = await bin('kafka-consumer-perf-test', ['--topic', 'c', '--messages', '5000'], dir);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const [header, line, end] = r.stdout.split('\n');
    expect(header).toBe(HEADER);
    // 5000 x 100 bytes = 0.4768 MB.
    expect(line).toMatch(row('0\\.4768', 5000));
    expect(end).toBe('');
  });

  it('--timeout: the warning, then the row of what did arrive; --hide-header and a --group that commits', async () => {
    const dir = tempDir();
    expect((await bin('kafka-producer-perf-test', ['--topic', 'c', '--num-records', '300', '--record-size', '10', '--throughput', '-1'], dir)).code).toBe(0);
    const r = await bin('kafka-consumer-perf-test', ['--topic', 'c', '--messages', '1000', '--timeout', '300', '--hide-header', '--group', 'g'], dir);
    expect(r.code).toBe(0);
    const [warning, line] = r.stdout.split('\n');
    expect(warning).toBe('WARNING: Exiting before consuming the expected number of messages: timeout (300 ms) exceeded. You can use the --timeout option to increase the timeout.');
    expect(line).toMatch(row('0\\.0029', 300));
    const lag = await bin('kafka-consumer-groups', ['--describe', '--group', 'g'], dir);
    expect(lag.stdout).toMatch(/c\s+0\s+300\s+300\s+0/);
  });

  it('--show-detailed-stats: the detailed header, interval rows and no summary row; --date-format applies', async () => {
    const dir = tempDir();
    expect((await bin('kafka-producer-perf-test', ['--topic', 'd', '--num-records', '20', '--record-size', '10', '--throughput', '20'], dir)).code).toBe(0);
    const r = await bin('kafka-consumer-perf-test', ['--topic', 'd', '--messages', '20', '--show-detailed-stats', '--reporting-interval', '1', '--date-format', "yyyy'T'HH"], dir);
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n').slice(0, -1);
    expect(lines[0]).toBe(HEADER.replace('start.time, end.time', 'time, threadId'));
    for (const l of lines.slice(1)) expect(l).toMatch(new RegExp(`^\\d{4}T\\d{2}, 0, ${F4}, ${F4}, \\d+, ${F4}, \\d+, -?\\d+, ${F4}, ${F4}$`));
  });

  it("usage errors are Kafka's", async () => {
    const dir = tempDir();
    expect(await bin('kafka-consumer-perf-test', ['--messages', '1'], dir)).toEqual({ code: 1, stdout: '', stderr: 'Missing required argument "[topic]"\n' });
    expect(await bin('kafka-consumer-perf-test', ['--topic', 't'], dir)).toEqual({ code: 1, stdout: '', stderr: 'Missing required argument "[messages]"\n' });
    expect(await bin('kafka-consumer-perf-test', ['--topic', 't', '--messages', '1', '--reporting-interval', '0'], dir)).toEqual({ code: 1, stdout: '', stderr: 'Reporting interval must be greater than 0.\n' });
  });
});

describe('the perf tools through kafka-server-start (--bootstrap-server)', () => {
  it('produce with per-record acks from the server, consume them back, and the data dir holds them', async () => {
    const dir = tempDir();
    const server = await startServerProcess(dir);
    try {
      const bootstrap = server.bootstrap.split(',')[0];
      const p = await bin('kafka-producer-perf-test', ['--bootstrap-server', bootstrap, '--topic', 'r', '--num-records', '2000', '--record-size', '50', '--throughput', '-1'], dir);
      expect(p.stderr).toBe('');
      expect(p.code).toBe(0);
      expect(p.stdout.split('\n')[0]).toMatch(TOTAL);
      expect(TOTAL.exec(p.stdout.split('\n')[0])![1]).toBe('2000');
      // Kafka 4.1's own way to name the cluster: bootstrap.servers in --producer-props.
      const q = await bin('kafka-producer-perf-test', ['--topic', 'r', '--num-records', '1000', '--record-size', '50', '--throughput', '-1', '--producer-props', `bootstrap.servers=${bootstrap}`, 'acks=all'], dir);
      expect(q.code).toBe(0);
      expect(TOTAL.exec(q.stdout.split('\n')[0])![1]).toBe('1000');
      const c = await bin('kafka-consumer-perf-test', ['--bootstrap-server', bootstrap, '--topic', 'r', '--messages', '3000', '--timeout', '10000'], dir);
      expect(c.code).toBe(0);
      const [header, line] = c.stdout.split('\n');
      expect(header).toBe(HEADER);
      // 3000 x 50 bytes = 0.1431 MB.
      expect(line).toMatch(row('0\\.1431', 3000));
      // Read back from the data dir the server writes to.
      const values = await consumeAll(dir, 'r', 3000);
      expect(values).toHaveLength(3000);
      expect(values.every((v) => /^[A-Z]{50}$/.test(v))).toBe(true);
    } finally {
      expect(await server.stop()).toBe(0);
    }
  });
});
