// --to-datetime and --by-duration values, accepted exactly as Kafka accepts them. A bad value is a
// run-time failure in Kafka (not a usage error), reported with the Java exception's text.
import { KafkitError } from '../../errors.js';

const parseFailure = (message: string) => new KafkitError(`java.text.ParseException: ${message}`);

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/**
 * Kafka's Utils.getDateTime: `yyyy-MM-dd'T'HH:mm:ss.SSS` followed by `Z`, `+hh:mm`, `+hhmm` or
 * `+hh`; without a zone the time is UTC. Parsing is strict (month 13 or Feb 30 fail). As with
 * Java's SimpleDateFormat, the millisecond field is a number, so `.5` means 5 ms, not 500.
 */
export function parseKafkaDateTime(text: string): number {
  const parts = text.split('T');
  while (parts.length > 1 && parts[parts.length - 1] === '') parts.pop();
  if (parts.length < 2) throw parseFailure("Error parsing timestamp. It does not contain a 'T' according to ISO8601 format");
  const timestamp = /[+\-Z]/.test(parts[1]) ? text : `${text}Z`;
  const m = /^(\d{4})-(\d{1,2})-(\d{1,2})T(\d{1,2}):(\d{1,2}):(\d{1,2})\.(\d{1,3})(Z|[+-]\d{2}(?::?\d{2})?)$/.exec(timestamp);
  const fail = () => parseFailure(`Unparseable date: "${timestamp}"`);
  if (!m) throw fail();
  const [year, month, day, hour, minute, second, milli] = m.slice(1, 8).map(Number);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month) || hour > 23 || minute > 59 || second > 59) throw fail();
  let offsetMinutes = 0;
  if (m[8] !== 'Z') {
    const digits = m[8].slice(1).replace(':', '');
    const hh = Number(digits.slice(0, 2));
    const mm = digits.length > 2 ? Number(digits.slice(2)) : 0;
    if (hh > 23 || mm > 59) throw fail();
    offsetMinutes = (m[8][0] === '-' ? -1 : 1) * (hh * 60 + mm);
  }
  return Date.UTC(year, month - 1, day, hour, minute, second, milli) - offsetMinutes * 60_000;
}

/** java.time.Duration.parse: `PnDTnHnMn.nS`, signs allowed per field, case-insensitive; in ms. */
export function parseIsoDuration(text: string): number {
  const m = /^([-+]?)P(?:([-+]?\d+)D)?(T(?:([-+]?\d+)H)?(?:([-+]?\d+)M)?(?:([-+]?\d+)(?:[.,](\d{0,9}))?S)?)?$/i.exec(text);
  const valid = m !== null && m[3] !== 'T' && m[3] !== 't' && [m[2], m[4], m[5], m[6]].some((g) => g !== undefined);
  if (!m || !valid) throw new KafkitError('Text cannot be parsed to a Duration');
  const n = (s: string | undefined) => (s === undefined ? 0 : Number(s));
  const seconds = n(m[6]);
  const fraction = m[7] ? Number(`0.${m[7]}`) * (m[6]?.startsWith('-') ? -1 : 1) : 0;
  const ms = ((n(m[2]) * 24 + n(m[4])) * 60 + n(m[5])) * 60_000 + Math.round((seconds + fraction) * 1000);
  return m[1] === '-' ? -ms : ms;
}
