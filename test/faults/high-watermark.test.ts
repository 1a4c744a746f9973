// A garbage, negative or short high-watermark file (issue 16): reported as corrupt, not read as 0.
import { describe, expect, it } from 'vitest';
import { checkHighWatermark } from '../../src/engine/log/high-watermark.js';
import { captureWarnings } from '../../src/engine/warn.js';

const int64 = (n: bigint) => {
  const b = Buffer.alloc(8);
  b.writeBigInt64BE(n);
  return b;
};

describe('checkHighWatermark', () => {
  it('accepts a sound file and tells a missing one apart', () => {
    expect(checkHighWatermark('/d/hw', int64(30000n), 30000)).toBe(30000);
    expect(checkHighWatermark('/d/hw', int64(0n), 0)).toBe(0);
    expect(checkHighWatermark('/d/hw', null, 10)).toBeNull();
  });

  it('short, negative and beyond-the-log-end files are corrupt, each with one warning naming the file', () => {
    const warnings: string[] = [];
    const restore = captureWarnings(warnings);
    try {
      expect(checkHighWatermark('/d/a', Buffer.from([0, 0, 1]), 10)).toBe('corrupt');
      expect(checkHighWatermark('/d/b', int64(-5n), 10)).toBe('corrupt');
      expect(checkHighWatermark('/d/c', Buffer.from('garbage!'), 30000)).toBe('corrupt');
    } finally {
      restore();
    }
    expect(warnings).toEqual([
      'WARN Ignoring /d/a: it holds 3 byte(s), not 8, so the file is corrupt; the high watermark is recomputed from the in-sync replicas.',
      'WARN Ignoring /d/b: it holds a negative offset -5, so the file is corrupt; the high watermark is recomputed from the in-sync replicas.',
      `WARN Ignoring /d/c: it holds offset ${Buffer.from('garbage!').readBigInt64BE(0)}, beyond the log end offset of every in-sync replica (30000), so the file is wrong (or the records were lost); the high watermark is recomputed from the in-sync replicas.`,
    ]);
  });
});
