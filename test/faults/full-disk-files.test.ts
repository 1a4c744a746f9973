// The engine's files on a full tmpfs: small files replaced atomically keep their old content (never
// empty or cut, no tmp file left), and a segment whose index cannot grow stays readable and
// recovers to the same records.
import { afterAll, describe, expect, it } from 'vitest';
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomicSync } from '../../src/engine/fs/atomic-file.js';
import { LOG_START_FILE, readCheckpoint, writeCheckpoint } from '../../src/engine/log/checkpoint.js';
import { LeaderEpochCache } from '../../src/engine/log/leader-epoch.js';
import { claimPartitionDir } from '../../src/engine/cluster/partition-dirs.js';
import { readOffsets, withGroup } from '../../src/engine/groups/group-store.js';
import { PartitionLog } from '../../src/engine/log/partition-log.js';
import { decodeRecordSet, encodeBatch } from '../../src/engine/record/batch.js';
import { KafkaStorageError } from '../../src/errors.js';
import { mountSmallDisk } from './small-disk.js';

const { disk, skip } = mountSmallDisk('tmpfs', 1024);
afterAll(() => disk?.unmount());
const skipped = skip ? ` (skipped: ${skip})` : '';

const noSpace = (path: string) => `No space left on device while writing ${path}: free some disk space and retry.`;

/** Runs `fn` on a full disk; returns what it threw. */
function onFullDisk(fn: () => void): unknown {
  disk!.leave(0);
  try {
    fn();
  } catch (err) {
    return err;
  } finally {
    disk!.free();
  }
  return undefined;
}

const tmpFiles = (dir: string) => readdirSync(dir).filter((n) => n.endsWith('.tmp'));

describe('atomic small files on a full disk', () => {
  it.skipIf(!disk)(`writeFileAtomicSync: a KafkaStorageError naming the file, the old content kept, no tmp file${skipped}`, () => {
    const dir = join(disk!.root, 'atomic');
    mkdirSync(dir);
    const path = join(dir, 'f.json');
    writeFileAtomicSync(path, 'old\n');
    for (const fsync of [true, false]) {
      const err = onFullDisk(() => writeFileAtomicSync(path, Buffer.alloc(20_000, 'n'), { fsync }));
      expect(err).toBeInstanceOf(KafkaStorageError);
      expect((err as Error).message).toBe(noSpace(path));
      expect(readFileSync(path, 'utf8')).toBe('old\n');
      expect(tmpFiles(dir)).toEqual([]);
    }
  });

  it.skipIf(!disk)(`each writer keeps its file whole: checkpoints, the leader-epoch cache, partition.metadata, group offsets${skipped}`, () => {
    const dir = join(disk!.root, 'writers', 't-0');
    mkdirSync(dir, { recursive: true });

    writeCheckpoint(dir, LOG_START_FILE, 5);
    expect((onFullDisk(() => writeCheckpoint(dir, LOG_START_FILE, 7)) as Error).message).toBe(noSpace(join(dir, LOG_START_FILE)));
    expect(readCheckpoint(dir, LOG_START_FILE)).toBe(5);

    const epochs = new LeaderEpochCache(dir);
    epochs.assign(0, 0);
    expect((onFullDisk(() => epochs.assign(1, 10)) as Error).message).toBe(noSpace(join(dir, 'leader-epoch-checkpoint')));
    expect(new LeaderEpochCache(dir).load()).toEqual([{ epoch: 0, startOffset: 0 }]);

    const fresh = join(disk!.root, 'writers', 'u-0');
    expect((onFullDisk(() => claimPartitionDir(fresh, 'AAAAAAAAAAAAAAAAAAAAAQ')) as Error).message).toBe(noSpace(join(fresh, 'partition.metadata')));
    expect(readdirSync(fresh)).toEqual([]);

    const data = join(disk!.root, 'groups-data');
    const commit = (offset: number) => withGroup(data, 'g', (_g, _o, save) => save({ t: { '0': { offset, leaderEpoch: null, metadata: '', commitTimestamp: 0 } } }), { create: true });
    commit(3);
    expect((onFullDisk(() => commit(9)) as Error).message).toBe(noSpace(join(data, 'groups', 'g', 'offsets.json')));
    expect(readOffsets(data, 'g').t['0'].offset).toBe(3);

    for (const d of [dir, fresh, join(data, 'groups', 'g')]) expect(tmpFiles(d)).toEqual([]);
  });
});

describe('a segment on a full disk', () => {
  it.skipIf(!disk)(`an append whose log write fits but whose index writes do not is cut back: the log reads and recovers as before${skipped}`, () => {
    const dir = join(disk!.root, 'log', 't-0');
    // Every batch after a segment's first gets an offset- and a time-index entry.
    const config = { indexIntervalBytes: 1 };
    const log = PartitionLog.open(dir, config);
    const batch = (i: number) => encodeBatch([{ key: null, value: Buffer.from(`${i}-`.padEnd(3000, 'x')) }]);
    const values: string[] = [];
    const append = (i: number) => {
      log.append(batch(i));
      values.push(`${i}-`.padEnd(3000, 'x'));
    };
    const readAll = (l: PartitionLog) => {
      const out: string[] = [];
      for (let next = 0; ; ) {
        const { records } = l.read(next, 1 << 20);
        if (records.length === 0) return out;
        for (const r of decodeRecordSet(records)) {
          out.push(String(r.value));
          next = r.offset + 1;
        }
      }
    };
    const sizes = () => readdirSync(dir).filter((n) => /\.(log|index|timeindex)$/.test(n)).map((n) => `${n}:${statSync(join(dir, n)).size}`);
    append(0);

    // One tmpfs page per step: the second batch needs a second page of the .log, then the first
    // page of the .index, then the first of the .timeindex.
    const outcomes: string[] = [];
    for (let pages = 0; pages <= 5 && !outcomes.includes('ok'); pages++) {
      disk!.leave(pages * 4096);
      const before = sizes();
      try {
        append(1);
        outcomes.push('ok');
      } catch (err) {
        expect(err).toBeInstanceOf(KafkaStorageError);
        expect((err as Error).message).toBe(`Cannot append to ${dir}: No space left on device: free some disk space and retry.`);
        outcomes.push('refused');
        expect(log.logEndOffset()).toBe(1);
        expect(sizes()).toEqual(before);
        expect(readAll(log)).toEqual(values);
      }
    }
    disk!.free();
    expect(outcomes).toEqual(['refused', 'refused', 'refused', 'ok']);
    expect(sizes()).toEqual(['00000000000000000000.index:8', '00000000000000000000.log:6140', '00000000000000000000.timeindex:12']);

    // A new leader epoch: its first batch also writes leader-epoch-checkpoint. With room for the
    // batch but not for the checkpoint, the append fails whole (the batch would otherwise be in the
    // log although the producer was told it failed).
    const epochOutcomes: string[] = [];
    for (let pages = 0; pages <= 4 && !epochOutcomes.includes('ok'); pages++) {
      disk!.leave(pages * 4096);
      const before = sizes();
      try {
        log.append(batch(2), { leaderEpoch: 3 });
        values.push('2-'.padEnd(3000, 'x'));
        epochOutcomes.push('ok');
      } catch (err) {
        expect((err as Error).message).toMatch(new RegExp(`^Cannot append to ${dir}: No space left on device( while writing ${dir}/leader-epoch-checkpoint)?: free some disk space and retry\\.$`));
        epochOutcomes.push((err as Error).message.includes('leader-epoch-checkpoint') ? 'refused: epoch' : 'refused');
        expect(log.logEndOffset()).toBe(2);
        expect(sizes()).toEqual(before);
        expect(readAll(log)).toEqual(values);
        expect(log.epochs.load()).toEqual([]);
      }
    }
    disk!.free();
    expect(epochOutcomes).toEqual(['refused', 'refused: epoch', 'ok']);
    expect(log.epochs.load()).toEqual([{ epoch: 3, startOffset: 2 }]);
    append(4);
    log.close();

    // Recovery from scratch (no clean-shutdown marker) finds nothing to cut and rebuilds the same indexes.
    writeFileSync(join(dir, '.kafka_cleanshutdown'), '');
    const again = PartitionLog.open(dir, config);
    const result = again.recover();
    expect(readAll(again)).toEqual(values);
    expect(again.logEndOffset()).toBe(values.length);
    expect(JSON.stringify(result)).not.toMatch(/"truncated":true/);
    again.close();
  });
});
