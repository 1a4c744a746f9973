import { describe, expect, it } from 'vitest';
import { parseInstant } from '../../src/input/instant.js';

const NOW = Date.UTC(2026, 11, 4, 16, 21, 23, 123);
const at = (text: string, flag = 'from-timestamp') => parseInstant(flag, text, NOW);

describe('parseInstant: the instants of --from-timestamp and --to-timestamp', () => {
  it('reads epoch milliseconds and now', () => {
    expect(at('1714564800000')).toBe(1714564800000);
    expect(at('0')).toBe(0);
    expect(at('now')).toBe(NOW);
    expect(at(' NOW ')).toBe(NOW);
  });

  it('reads a time before now in ms, seconds, minutes, hours and days', () => {
    expect(at('-250ms')).toBe(NOW - 250);
    expect(at('-15s')).toBe(NOW - 15_000);
    expect(at('-30m')).toBe(NOW - 1_800_000);
    expect(at('-1h')).toBe(NOW - 3_600_000);
    expect(at('-2d')).toBe(NOW - 172_800_000);
  });

  it('reads ISO-8601, UTC when no zone is given', () => {
    expect(at('2024-05-01T12:00:00Z')).toBe(Date.UTC(2024, 4, 1, 12));
    expect(at('2024-05-01T12:00:00')).toBe(Date.UTC(2024, 4, 1, 12));
    expect(at('2024-05-01T12:00')).toBe(Date.UTC(2024, 4, 1, 12));
    expect(at('2024-05-01')).toBe(Date.UTC(2024, 4, 1));
    expect(at('2024-05-01T12:00:00.5Z')).toBe(Date.UTC(2024, 4, 1, 12, 0, 0, 500));
    expect(at('2024-05-01T12:00:00.123456789Z')).toBe(Date.UTC(2024, 4, 1, 12, 0, 0, 123));
    expect(at('2024-05-01T14:00:00+02:00')).toBe(Date.UTC(2024, 4, 1, 12));
    expect(at('2024-05-01T14:00:00+0200')).toBe(Date.UTC(2024, 4, 1, 12));
    expect(at('2024-05-01T10:00:00-02')).toBe(Date.UTC(2024, 4, 1, 12));
    expect(at('2024-05-01t12:00:00z')).toBe(Date.UTC(2024, 4, 1, 12));
  });

  it('refuses anything else in one line naming the flag and the accepted forms', () => {
    const forms = 'use ISO-8601 (2024-05-01T12:00:00Z), epoch milliseconds, now, or a time before now (-15s, -30m, -1h, -2d).';
    expect(() => at('yesterday')).toThrow(`Invalid --from-timestamp 'yesterday': ${forms}`);
    expect(() => at('-1w', 'to-timestamp')).toThrow(`Invalid --to-timestamp '-1w': ${forms}`);
    for (const bad of ['', '1h', '+1h', '-h', '-1.5h', '2024-02-30', '2024-13-01', '2024-05-01 12:00:00', '2024-05-01T25:00', 'May 1 2024', '12.5']) {
      expect(() => at(bad), bad).toThrow(forms);
    }
  });
});
