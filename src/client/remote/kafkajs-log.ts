// kafkajs' log entries: printed on stderr with KAFKIT_DEBUG, and the one place where they stop a
// runaway loop inside kafkajs.
//
// kafkajs 2.2.4 can leave a fetcher running after its consumer's runner has stopped (seen in CI
// after a rebalance, then SIGTERM). The runner then answers that fetcher's every fetch with []
// at once, logging 'consumer not running, exiting' at debug level, and the fetcher's loop never
// waits on I/O or a timer: 100% CPU, and neither signals nor timers run again, so the process
// never exits. A fetcher's loop ends on any error, so the logger throws once that entry comes
// faster than any real path writes it (a stopping runner writes it a few times; the loop, a
// million times a second).
import type { LogEntry, logCreator } from 'kafkajs';

/**
 * Retriable, as kafkajs reads it: the runner that sees it then finds itself stopped and ends
 * quietly, or restarts as for a lost connection. A non-retriable error would end the consumer for
 * good, and cancel the restart of a consumer whose broker went away.
 */
export class StrayFetcherStopped extends Error {
  readonly retriable = true;
}

const LEVEL_DEBUG = 5;
/** Entries within one second that only a loop with no I/O can write. */
const RUNAWAY = 1000;

export function kafkajsLogCreator(print: boolean): logCreator {
  let windowStart = 0;
  let count = 0;
  return () => (entry: LogEntry) => {
    if (print) process.stderr.write(`[kafkajs] ${entry.log.message}\n`);
    const log = entry.log as LogEntry['log'] & { offsets?: unknown; error?: unknown };
    // The commit paths write the same text with `offsets` or `error`: those are never the loop.
    if (entry.level !== LEVEL_DEBUG || entry.namespace !== 'Runner' || log.message !== 'consumer not running, exiting' || log.offsets !== undefined || log.error !== undefined) return;
    const now = Date.now();
    if (now - windowStart > 1000) {
      windowStart = now;
      count = 0;
    }
    if (++count > RUNAWAY) throw new StrayFetcherStopped('kafkajs fetcher stopped: its consumer is not running');
  };
}
