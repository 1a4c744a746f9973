// Kafka's ThroughputThrottler: once the average rate since the start is above the target, sleep
// 1/target s per record sent, a few ms at a time (nothing shorter than 2 ms).
const MIN_SLEEP_MS = 2;

export class ThroughputThrottler {
  private readonly sleepPerRecordMs: number;
  private deficitMs = 0;

  constructor(private readonly target: number, private readonly startMs: number) {
    this.sleepPerRecordMs = target > 0 ? 1000 / target : Infinity;
  }

  shouldThrottle(sentSoFar: number, nowMs: number): boolean {
    if (this.target < 0) return false;
    const elapsedSec = (nowMs - this.startMs) / 1000;
    return elapsedSec > 0 && sentSoFar / elapsedSec > this.target;
  }

  /** Resolves once the accumulated sleep is served; undefined when there is not yet enough to sleep. */
  throttle(): Promise<void> | undefined {
    this.deficitMs += this.sleepPerRecordMs;
    if (this.deficitMs < MIN_SLEEP_MS) return undefined;
    const due = performance.now() + this.deficitMs;
    this.deficitMs = 0;
    return new Promise((resolve) => {
      const wait = () => {
        const left = due - performance.now();
        if (left <= 0) resolve();
        else setTimeout(wait, Math.max(1, Math.floor(left)));
      };
      wait();
    });
  }
}
