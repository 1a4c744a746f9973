// kafkajs' log entries: printed on stderr with KAFKIT_DEBUG, and the one place where one of them
// stops a runaway loop inside kafkajs.
//
// kafkajs 2.2.4 can leave a fetcher running after its consumer's runner has stopped (seen in CI
// after a rebalance, then SIGTERM). The runner then answers that fetcher's every fetch with []
// at once, logging 'consumer not running, exiting' at debug level, and the fetcher's loop never
// waits on I/O or a timer: 100% CPU, and neither signals nor timers run again, so the process
// never exits. A fetcher's loop ends on any error, so throwing from the logger on that entry
// ends the stray fetcher; a stopping runner's own fetchers end the same way, which is what
// stopping asks of them.
import type { LogEntry, logCreator } from 'kafkajs';

export class StrayFetcherStopped extends Error {}

const LEVEL_DEBUG = 5;

export function kafkajsLogCreator(print: boolean): logCreator {
  return () => (entry: LogEntry) => {
    if (print) process.stderr.write(`[kafkajs] ${entry.log.message}\n`);
    if (entry.level === LEVEL_DEBUG && entry.namespace === 'Runner' && entry.log.message === 'consumer not running, exiting') {
      throw new StrayFetcherStopped('kafkajs fetcher stopped: its consumer is not running');
    }
  };
}
