// The report lines of kafka-producer-perf-test and kafka-consumer-perf-test, character for
// character as Kafka 4.1's ProducerPerformance, ConsumerPerformance and ToolsUtils print them.
import { UsageError } from '../errors.js';

/**
 * Java's `%.Nf`: rounds half up on the shortest decimal form of the double (Java formats 1.005 as
 * 1.01 where toFixed gives 1.00), and prints NaN and Infinity by name.
 */
export function javaFixed(x: number, digits: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (!Number.isFinite(x)) return x > 0 ? 'Infinity' : '-Infinity';
  const negative = x < 0 || Object.is(x, -0);
  const [mantissa, exp] = Math.abs(x).toExponential().split('e');
  const decimals = mantissa.replace('.', '');
  // value = 0.<decimals> x 10^(exp + 1); wanted: round(value x 10^digits).
  const shift = digits + Number(exp) + 1 - decimals.length;
  let n = BigInt(decimals);
  if (shift >= 0) n *= 10n ** BigInt(shift);
  else {
    const unit = 10n ** BigInt(-shift);
    const rest = n % unit;
    n = n / unit + (rest * 2n >= unit ? 1n : 0n);
  }
  const text = n.toString().padStart(digits + 1, '0');
  const whole = text.slice(0, text.length - digits);
  return `${negative ? '-' : ''}${digits === 0 ? whole : `${whole}.${text.slice(text.length - digits)}`}`;
}

export interface ProducerWindow {
  count: number;
  bytes: number;
  elapsedMs: number;
  totalLatencyMs: number;
  maxLatencyMs: number;
}

const MB = 1024 * 1024;

/** The line printed every 5 s: `N records sent, X records/sec (Y MB/sec), Z ms avg latency, W ms max latency.` */
export function producerWindowLine(w: ProducerWindow): string {
  const recsPerSec = (1000 * w.count) / w.elapsedMs;
  const mbPerSec = (1000 * w.bytes) / w.elapsedMs / MB;
  return `${w.count} records sent, ${javaFixed(recsPerSec, 1)} records/sec (${javaFixed(mbPerSec, 2)} MB/sec), ${javaFixed(w.totalLatencyMs / w.count, 1)} ms avg latency, ${javaFixed(w.maxLatencyMs, 1)} ms max latency.`;
}

/** The summary line, with the 50th, 95th, 99th and 99.9th percentile latencies. */
export function producerTotalLine(w: ProducerWindow, percentiles: readonly number[]): string {
  const recsPerSec = (1000 * w.count) / w.elapsedMs;
  const mbPerSec = (1000 * w.bytes) / w.elapsedMs / MB;
  const [p50, p95, p99, p999] = percentiles;
  return `${w.count} records sent, ${javaFixed(recsPerSec, 6)} records/sec (${javaFixed(mbPerSec, 2)} MB/sec), ${javaFixed(w.totalLatencyMs / w.count, 2)} ms avg latency, ${javaFixed(w.maxLatencyMs, 2)} ms max latency, ${p50} ms 50th, ${p95} ms 95th, ${p99} ms 99th, ${p999} ms 99.9th.`;
}

/** Kafka's percentiles of the first `count` samples: sorts them in place, then takes index floor(p x size). */
export function latencyPercentiles(samples: Int32Array, count: number, ps: readonly number[]): number[] {
  const size = Math.min(count, samples.length);
  const sorted = samples.subarray(0, size).sort();
  return ps.map((p) => (size === 0 ? samples[0] : sorted[Math.floor(p * size)]));
}

const DETAIL_FIELDS = ', rebalance.time.ms, fetch.time.ms, fetch.MB.sec, fetch.nMsg.sec';

export function consumerHeader(detailed: boolean): string {
  return detailed
    ? `time, threadId, data.consumed.in.MB, MB.sec, data.consumed.in.nMsg, nMsg.sec${DETAIL_FIELDS}`
    : `start.time, end.time, data.consumed.in.MB, MB.sec, data.consumed.in.nMsg, nMsg.sec${DETAIL_FIELDS}`;
}

export interface ConsumerTotals {
  startMs: number;
  endMs: number;
  bytes: number;
  messages: number;
  /** Time spent joining the group (rebalances), in ms. */
  joinTimeMs: number;
}

/** The summary row under the header (without --show-detailed-stats). */
export function consumerTotalRow(t: ConsumerTotals, dateFormat: DateFormat): string {
  const elapsedSec = (t.endMs - t.startMs) / 1000;
  const fetchTimeMs = t.endMs - t.startMs - t.joinTimeMs;
  const mb = t.bytes / MB;
  return [
    dateFormat(t.startMs),
    dateFormat(t.endMs),
    javaFixed(mb, 4),
    javaFixed(mb / elapsedSec, 4),
    String(t.messages),
    javaFixed(t.messages / elapsedSec, 4),
    String(t.joinTimeMs),
    String(fetchTimeMs),
    javaFixed(mb / (fetchTimeMs / 1000), 4),
    javaFixed(t.messages / (fetchTimeMs / 1000), 4),
  ].join(', ');
}

export interface ConsumerInterval {
  bytes: number;
  lastBytes: number;
  messages: number;
  lastMessages: number;
  startMs: number;
  endMs: number;
  /** Rebalance time within the interval. */
  joinTimeMs: number;
}

/** A --show-detailed-stats row (thread id 0, as Kafka's single consumer prints). */
export function consumerIntervalRow(i: ConsumerInterval, dateFormat: DateFormat): string {
  const elapsedMs = i.endMs - i.startMs;
  const intervalMb = (i.bytes - i.lastBytes) / MB;
  const fetchTimeMs = elapsedMs - i.joinTimeMs;
  const intervalMessages = i.messages - i.lastMessages;
  return [
    dateFormat(i.endMs),
    '0',
    javaFixed(i.bytes / MB, 4),
    javaFixed((1000 * intervalMb) / elapsedMs, 4),
    String(i.messages),
    javaFixed((intervalMessages / elapsedMs) * 1000, 4),
    String(i.joinTimeMs),
    String(fetchTimeMs),
    javaFixed(fetchTimeMs <= 0 ? 0 : (1000 * intervalMb) / fetchTimeMs, 4),
    javaFixed(fetchTimeMs <= 0 ? 0 : (1000 * intervalMessages) / fetchTimeMs, 4),
  ].join(', ');
}

export function consumerTimeoutWarning(timeoutMs: number): string {
  return `WARNING: Exiting before consuming the expected number of messages: timeout (${timeoutMs} ms) exceeded. You can use the --timeout option to increase the timeout.`;
}

/** ToolsUtils.printMetrics: a blank line, a header, then `name : value` sorted by name, values as %.3f. */
export function metricsTable(metrics: ReadonlyMap<string, number>): string {
  const names = [...metrics.keys()].sort();
  const width = Math.max(0, ...names.map((n) => n.length));
  const lines = ['', `${'Metric Name'.padEnd(width)}   Value`, ...names.map((n) => `${n.padEnd(width)} : ${javaFixed(metrics.get(n)!, 3)}`)];
  return `${lines.join('\n')}\n`;
}

export type DateFormat = (ms: number) => string;

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

/**
 * java.text.SimpleDateFormat in the local time zone, for the letters a date format for these
 * tools would use: y M d H h k K m s S E a Z X, and 'quoted' text. Other letters are refused
 * with Java's message, as SimpleDateFormat's constructor refuses them.
 */
export function simpleDateFormat(pattern: string): DateFormat {
  type Part = string | { letter: string; width: number };
  const parts: Part[] = [];
  for (let i = 0; i < pattern.length; ) {
    const c = pattern[i];
    if (c === "'") {
      const end = pattern.indexOf("'", i + 1);
      if (end < 0) throw new UsageError('Unterminated quote');
      parts.push(end === i + 1 ? "'" : pattern.slice(i + 1, end));
      i = end + 1;
    } else if (/[a-zA-Z]/.test(c)) {
      if (!'yMdHhkKmsSEaZX'.includes(c)) throw new UsageError(`Illegal pattern character '${c}'`);
      let j = i;
      while (pattern[j] === c) j++;
      parts.push({ letter: c, width: j - i });
      i = j;
    } else {
      parts.push(c);
      i++;
    }
  }
  const pad = (n: number, width: number) => String(n).padStart(width, '0');
  const zone = (d: Date, iso: boolean) => {
    const off = -d.getTimezoneOffset();
    if (iso && off === 0) return 'Z';
    const a = Math.abs(off);
    return `${off < 0 ? '-' : '+'}${pad(Math.floor(a / 60), 2)}${pad(a % 60, 2)}`;
  };
  return (ms: number) => {
    const d = new Date(ms);
    let out = '';
    for (const p of parts) {
      if (typeof p === 'string') {
        out += p;
        continue;
      }
      const w = p.width;
      switch (p.letter) {
        case 'y':
          out += w === 2 ? pad(d.getFullYear() % 100, 2) : pad(d.getFullYear(), w);
          break;
        case 'M':
          out += w >= 4 ? MONTHS[d.getMonth()] : w === 3 ? MONTHS[d.getMonth()].slice(0, 3) : pad(d.getMonth() + 1, w);
          break;
        case 'd':
          out += pad(d.getDate(), w);
          break;
        case 'H':
          out += pad(d.getHours(), w);
          break;
        case 'k':
          out += pad(d.getHours() || 24, w);
          break;
        case 'K':
          out += pad(d.getHours() % 12, w);
          break;
        case 'h':
          out += pad(d.getHours() % 12 || 12, w);
          break;
        case 'm':
          out += pad(d.getMinutes(), w);
          break;
        case 's':
          out += pad(d.getSeconds(), w);
          break;
        case 'S':
          out += pad(d.getMilliseconds(), w);
          break;
        case 'E':
          out += w >= 4 ? DAYS[d.getDay()] : DAYS[d.getDay()].slice(0, 3);
          break;
        case 'a':
          out += d.getHours() < 12 ? 'AM' : 'PM';
          break;
        case 'Z':
          out += zone(d, false);
          break;
        case 'X':
          out += zone(d, true);
          break;
      }
    }
    return out;
  };
}
