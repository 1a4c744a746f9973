import { afterEach, describe, expect, it } from 'vitest';
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeOffsetEntry, loadOffsetIndex } from '../../../src/engine/log/offset-index.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function entries(pairs: Array<[number, number]>): Buffer {
  return Buffer.concat(pairs.map(([o, p]) => encodeOffsetEntry(o, p)));
}

function file(pairs: Array<[number, number]>): string {
  const d = mkdtempSync(join(tmpdir(), 'kafkit-index-'));
  dirs.push(d);
  const path = join(d, '00000000000000000000.index');
  writeFileSync(path, entries(pairs));
  return path;
}

const decoded = (path: string) => {
  const idx = loadOffsetIndex(path);
  return { count: idx.count, whole: idx.whole, keys: [...idx.keys.subarray(0, idx.count)], values: [...idx.values.subarray(0, idx.count)] };
};

describe('loadOffsetIndex', () => {
  it('decodes big-endian (relative offset, position) pairs, beyond 2^16 and 2^24', () => {
    const path = file([[0, 0], [300, 70_000], [70_000, 20_000_000], [2_000_000_000, 2_100_000_000]]);
    expect(decoded(path)).toEqual({ count: 4, whole: true, keys: [0, 300, 70_000, 2_000_000_000], values: [0, 70_000, 20_000_000, 2_100_000_000] });
  });

  it('trusts entries only up to the first that breaks the order or is negative', () => {
    expect(decoded(file([[1, 10], [5, 50], [5, 60], [9, 90]]))).toEqual({ count: 2, whole: false, keys: [1, 5], values: [10, 50] });
    expect(decoded(file([[1, 10], [5, 50], [7, 50]]))).toMatchObject({ count: 2, whole: false });
    expect(decoded(file([[1, 10], [-3, 50]]))).toMatchObject({ count: 1, whole: false });
    expect(decoded(file([[1, -1]]))).toMatchObject({ count: 0, whole: false });
  });

  it('a file that grew is decoded from where it was, checked against the last entry already read', () => {
    const path = file([[1, 10], [5, 50]]);
    expect(decoded(path)).toMatchObject({ count: 2, whole: true });
    appendFileSync(path, entries([[8, 80], [12, 120]]));
    expect(decoded(path)).toEqual({ count: 4, whole: true, keys: [1, 5, 8, 12], values: [10, 50, 80, 120] });
    appendFileSync(path, entries([[12, 130]]));
    expect(decoded(path)).toMatchObject({ count: 4, whole: false });
  });

  it('a torn last entry is not an entry', () => {
    const path = file([[1, 10], [5, 50]]);
    appendFileSync(path, Buffer.from([0, 0, 0]));
    expect(decoded(path)).toMatchObject({ count: 2, whole: false });
  });
});
