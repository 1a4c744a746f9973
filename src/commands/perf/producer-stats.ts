// ProducerPerformance's Stats: totals, a 5-second window printed as it closes, and a sample of at
// most 500,000 latencies for the percentiles. Latencies are whole ms, as Kafka's are.
import { latencyPercentiles, producerTotalLine, producerWindowLine } from '../../format/perf.js';

const REPORTING_INTERVAL_MS = 5000;

export class ProducerStats {
  private readonly start: number;
  private readonly sampling: number;
  private readonly latencies: Int32Array;
  private iteration = 0;
  private index = 0;
  count = 0;
  bytes = 0;
  errors = 0;
  private maxLatency = 0;
  private totalLatency = 0;
  private windowStart: number;
  private windowCount = 0;
  private windowBytes = 0;
  private windowMaxLatency = 0;
  private windowTotalLatency = 0;

  constructor(numRecords: number, private readonly print: (line: string) => void, private readonly now: () => number = Date.now) {
    this.start = this.windowStart = now();
    this.sampling = Math.floor(numRecords / Math.min(numRecords, 500_000));
    this.latencies = new Int32Array(Math.floor(numRecords / this.sampling) + 1);
  }

  /** One acknowledged record; prints the window's line once it is 5 s old, as Kafka does from its callback. */
  record(latency: number, bytes: number, time: number): void {
    this.count++;
    this.bytes += bytes;
    this.totalLatency += latency;
    this.maxLatency = Math.max(this.maxLatency, latency);
    this.windowCount++;
    this.windowBytes += bytes;
    this.windowTotalLatency += latency;
    this.windowMaxLatency = Math.max(this.windowMaxLatency, latency);
    if (this.iteration % this.sampling === 0) this.latencies[this.index++] = latency;
    if (time - this.windowStart >= REPORTING_INTERVAL_MS) {
      this.print(producerWindowLine({ count: this.windowCount, bytes: this.windowBytes, elapsedMs: this.now() - this.windowStart, totalLatencyMs: this.windowTotalLatency, maxLatencyMs: this.windowMaxLatency }));
      this.windowStart = this.now();
      this.windowCount = this.windowBytes = this.windowMaxLatency = this.windowTotalLatency = 0;
    }
    this.iteration++;
  }

  totalLine(): string {
    const percentiles = latencyPercentiles(this.latencies, this.index, [0.5, 0.95, 0.99, 0.999]);
    return producerTotalLine({ count: this.count, bytes: this.bytes, elapsedMs: this.now() - this.start, totalLatencyMs: this.totalLatency, maxLatencyMs: this.maxLatency }, percentiles);
  }

  elapsedMs(): number {
    return this.now() - this.start;
  }
}
