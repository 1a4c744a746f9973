// Every error code the server answers with is logged once, with the request it refused and why:
// a client that gives up (kafka-go retrying JoinGroup on error 42) otherwise leaves no trace on
// the broker. Handlers turn errors into codes in one place (wireError), which notes them here;
// the request they belong to is found through the async context the connection runs each
// request in, since requests of different connections interleave at every await.
import { AsyncLocalStorage } from 'node:async_hooks';
import type { KafkitError } from '../errors.js';

export interface RequestScope {
  api: string;
  version: number;
  clientId: string;
  /** `/127.0.0.1`: what repeats are counted by (a retrying client reconnects from new ports). */
  clientHost: string;
  peer: string;
  brokerId: number;
  refused: KafkitError[];
}

const scope = new AsyncLocalStorage<RequestScope>();

export function runInScope<T>(s: RequestScope, fn: () => T): T {
  return scope.run(s, fn);
}

/** Records that the current request answers with `err`'s code. */
export function noteRefusal(err: KafkitError): void {
  scope.getStore()?.refused.push(err);
}

/** The same refusal (api, error, client) is logged at most once per window; the lines held back are counted in the next one. */
export const REPEAT_WINDOW_MS = 30_000;

/** One line per distinct refusal of a request, repeats rate-limited per server. */
export class RefusalLog {
  private readonly last = new Map<string, { at: number; held: number }>();

  constructor(
    private readonly log: (message: string) => void,
    private readonly now: () => number = Date.now,
  ) {}

  report(s: RequestScope): void {
    const seen = new Set<string>();
    for (const err of s.refused) {
      const key = `${s.api}\0${err.kafkaName}\0${s.clientId}\0${s.clientHost}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const t = this.now();
      const prev = this.last.get(key);
      if (prev && t - prev.at < REPEAT_WINDOW_MS) {
        prev.held++;
        continue;
      }
      if (this.last.size > 10_000) this.last.clear();
      const held = prev && prev.held > 0 ? ` (${prev.held} more like it in the last ${Math.round((t - prev.at) / 1000)} s)` : '';
      this.last.set(key, { at: t, held: 0 });
      this.log(`Refused ${s.api} v${s.version} from client '${s.clientId}' at ${s.peer} (broker ${s.brokerId}) with ${err.kafkaName} (${err.code}): ${err.message}${held}`);
    }
  }
}
