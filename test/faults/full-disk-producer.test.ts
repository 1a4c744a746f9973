// The console producer on a disk that fills mid-run (a real full disk, ENOSPC), then gets space
// back: the error, what was kept, and the next run. On tmpfs and on ext4 (delayed allocation).
import { afterAll, describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { bin } from '../helpers.js';
import { mountSmallDisk, type Mounted } from './small-disk.js';

const disks: Record<string, Mounted> = { tmpfs: mountSmallDisk('tmpfs', 12 * 1024), ext4: mountSmallDisk('ext4', 16 * 1024) };
afterAll(() => {
  for (const m of Object.values(disks)) m.disk?.unmount();
});

const N = 300_000;
const input = `${Array.from({ length: N }, (_, i) => String(i + 1)).join('\n')}\n`;
const upTo = (k: number) => Array.from({ length: k }, (_, i) => String(i + 1));
const after = Array.from({ length: 10 }, (_, i) => `after-${i + 1}`);

async function consumeAll(dir: string): Promise<{ offset: number; value: string }[]> {
  const r = await bin('kafka-console-consumer', ['--topic', 't', '--from-beginning', '--timeout-ms', '1500', '--property', 'print.offset=true'], dir);
  expect(r.code).toBe(0);
  return r.stdout
    .split('\n')
    .filter(Boolean)
    .map((l) => {
      const m = /^Offset:(\d+)\t(.*)$/.exec(l)!;
      return { offset: Number(m[1]), value: m[2] };
    });
}

function leaderOf(dir: string): number {
  return JSON.parse(readFileSync(join(dir, 'metadata.json'), 'utf8')).topics.t.partitions[0].leader;
}

/** A replica's segments, concatenated in order. */
function replicaBytes(dir: string, broker: number): Buffer {
  const rdir = join(dir, `broker-${broker}`, 't-0');
  const logs = readdirSync(rdir).filter((n) => n.endsWith('.log')).sort();
  return Buffer.concat(logs.map((n) => readFileSync(join(rdir, n))));
}

const storageError = (dir: string, broker: number) =>
  `Error: org.apache.kafka.common.errors.KafkaStorageException: Cannot append to ${join(dir, `broker-${broker}`, 't-0')}: No space left on device: free some disk space and retry.`;

for (const [kind, m] of Object.entries(disks)) {
  describe(`console producer on a ${kind} that fills`, () => {
    it.skipIf(m.disk === null)(`RF 1: one error line, exit 1, the records kept are 1..K in order, and after space returns the next producer appends at K${m.skip ? ` (skipped: ${m.skip})` : ''}`, async () => {
      const disk = m.disk!;
      const dir = join(disk.root, 'rf1');
      expect((await bin('kafka-topics', ['--create', '--topic', 't', '--partitions', '1', '--replication-factor', '1'], dir)).code).toBe(0);
      disk.leave(2500 * 1024); // two 1 MB requests fit, the third does not
      const p = await bin('kafka-console-producer', ['--topic', 't'], dir, input);
      expect(p.stderr).toBe(`${storageError(dir, leaderOf(dir))}\n`);
      expect(p.code).toBe(1);
      // Readable while the disk is still full: exactly a prefix of the input, offsets 0..K-1.
      const kept = await consumeAll(dir);
      const k = kept.length;
      expect(k).toBeGreaterThan(0);
      expect(k).toBeLessThan(N);
      expect(kept.map((r) => r.value)).toEqual(upTo(k));
      expect(kept.map((r) => r.offset)).toEqual([...Array(k).keys()]);
      expect(disk.files().filter((f) => f.endsWith('.tmp'))).toEqual([]);

      disk.free();
      const next = await bin('kafka-console-producer', ['--topic', 't'], dir, `${after.join('\n')}\n`);
      expect(next.stderr).toBe('');
      expect(next.code).toBe(0);
      const all = await consumeAll(dir);
      expect(all.map((r) => r.value)).toEqual([...upTo(k), ...after]);
      expect(all.map((r) => r.offset)).toEqual([...Array(k + 10).keys()]);
    });

    it.skipIf(m.disk === null)(`RF 3 on one disk: followers that could not write leave the ISR, are rebuilt once space returns, and all three replicas end byte-identical${m.skip ? ` (skipped: ${m.skip})` : ''}`, async () => {
      const disk = m.disk!;
      const dir = join(disk.root, 'rf3');
      expect((await bin('kafka-topics', ['--create', '--topic', 't', '--partitions', '1', '--replication-factor', '3'], dir)).code).toBe(0);
      const leader = leaderOf(dir);
      disk.leave(1500 * 1024); // the first 1 MB request fits on the leader only
      const p = await bin('kafka-console-producer', ['--topic', 't'], dir, input);
      expect(p.code).toBe(1);
      const lines = p.stderr.split('\n');
      expect(lines.pop()).toBe('');
      expect(lines.pop()).toBe(storageError(dir, leader));
      // Before it, only the notices of followers leaving the ISR, each for a full disk.
      expect(lines.length).toBeGreaterThan(0);
      for (const l of lines) {
        expect(l).toMatch(
          new RegExp(`^\\[kafkit\\] Broker (\\d) left the ISR of t-0: Cannot append to ${dir}/broker-\\1/t-0: No space left on device: free some disk space and retry\\. It is rebuilt from the leader and rejoins once caught up\\.$`),
        );
      }
      const kept = await consumeAll(dir);
      const k = kept.length;
      expect(k).toBeGreaterThan(0);
      expect(kept.map((r) => r.value)).toEqual(upTo(k));
      expect(disk.files().filter((f) => f.endsWith('.tmp'))).toEqual([]);

      disk.free();
      const next = await bin('kafka-console-producer', ['--topic', 't'], dir, `${after.join('\n')}\n`);
      expect(next.code).toBe(0);
      for (const l of next.stderr.split('\n').filter(Boolean)) expect(l).toMatch(/^\[kafkit\] Broker \d caught up on t-0 at offset \d+ and rejoined the ISR\.$/);
      const described = await bin('kafka-topics', ['--describe', '--topic', 't'], dir);
      expect(/\tIsr: ([\d,]+)\t/.exec(described.stdout)![1].split(',').sort()).toEqual(['1', '2', '3']);
      const all = await consumeAll(dir);
      expect(all.map((r) => r.value)).toEqual([...upTo(k), ...after]);
      expect(all.map((r) => r.offset)).toEqual([...Array(k + 10).keys()]);
      const copies = [1, 2, 3].map((b) => replicaBytes(dir, b));
      expect(copies[0].length).toBeGreaterThan(0);
      expect(copies[1].equals(copies[0])).toBe(true);
      expect(copies[2].equals(copies[0])).toBe(true);
    });
  });
}
