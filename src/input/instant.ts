// The instants --from-timestamp and --to-timestamp take: epoch milliseconds, ISO-8601, `now`, or an
// age before now (-15s, -30m, -1h, -2d), as kcat's s@/e@, kafkactl and rpk's @t let users write them.
import { UsageError } from '../errors.js';

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

// A date, optionally a time (seconds and fraction optional), optionally a zone. Anything looser
// (a space for the T, a month name) is refused rather than read in the machine's local zone.
const ISO = /^(\d{4}-\d{2}-\d{2})(?:T(\d{2}:\d{2})(:\d{2})?(?:[.,](\d+))?)?(Z|[+-]\d{2}(?::?\d{2})?)?$/i;

/**
 * Epoch milliseconds for `text`, given as the value of `--<flag>`; `now` is the run's one clock
 * reading, so that both ends of a range are measured from the same instant. ISO-8601 without a
 * zone means UTC.
 */
export function parseInstant(flag: string, text: string, now: number): number {
  const t = text.trim();
  if (/^\d+$/.test(t)) return Number(t);
  if (/^now$/i.test(t)) return now;
  const age = /^-(\d+)(ms|s|m|h|d)$/.exec(t);
  if (age) return now - Number(age[1]) * UNIT_MS[age[2]];
  const iso = ISO.exec(t);
  if (iso) {
    const [, date, hm, sec, fraction, zone] = iso;
    const ms = fraction === undefined ? '' : `.${fraction.slice(0, 3).padEnd(3, '0')}`;
    const offset = zone === undefined || /^z$/i.test(zone) ? 'Z' : zone.length === 3 ? `${zone}:00` : `${zone.slice(0, 3)}:${zone.slice(-2)}`;
    const at = Date.parse(`${date}T${hm ?? '00:00'}${sec ?? ':00'}${ms}${offset}`);
    // Date.parse rolls 2024-02-30 over to March; a date that does not exist is a typo.
    if (!Number.isNaN(at) && new Date(Date.parse(`${date}T00:00:00Z`)).toISOString().startsWith(date)) return at;
  }
  throw new UsageError(`Invalid --${flag} '${text}': use ISO-8601 (2024-05-01T12:00:00Z), epoch milliseconds, now, or a time before now (-15s, -30m, -1h, -2d).`);
}
