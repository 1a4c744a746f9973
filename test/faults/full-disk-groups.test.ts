// Consumer group offsets on a full disk: a commit or a reset that cannot be written says so in one
// line, and the offsets committed before stay whole (never an empty or cut group file).
import { afterAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { bin } from '../helpers.js';
import { mountSmallDisk, type Mounted } from './small-disk.js';

const disks: Record<string, Mounted> = { tmpfs: mountSmallDisk('tmpfs', 4096), ext4: mountSmallDisk('ext4', 4096) };
afterAll(() => {
  for (const m of Object.values(disks)) m.disk?.unmount();
});

type Offsets = Record<string, { offset: number }>;

function committed(dir: string): Offsets {
  // Parses, or the test fails: the file is never empty or cut.
  return JSON.parse(readFileSync(join(dir, 'groups', 'g', 'offsets.json'), 'utf8')).a;
}

const total = (o: Offsets) => Object.values(o).reduce((n, x) => n + x.offset, 0);

async function describedTotal(dir: string): Promise<number> {
  const d = await bin('kafka-consumer-groups', ['--describe', '--group', 'g'], dir);
  expect(d.code).toBe(0);
  return [...d.stdout.matchAll(/^g +a +\d+ +(\d+) /gm)].reduce((n, x) => n + Number(x[1]), 0);
}

for (const [kind, m] of Object.entries(disks)) {
  const skipped = m.skip ? ` (skipped: ${m.skip})` : '';
  describe(`consumer group offsets on a full ${kind}`, () => {
    it.skipIf(m.disk === null)(`kafka-console-consumer --group and kafka-consumer-groups --reset-offsets --execute: one error line, the committed offsets intact, --describe works${skipped}`, async () => {
      const disk = m.disk!;
      const dir = join(disk.root, 'groups');
      // 80 partitions: offsets.json (~6 KB) takes more pages or blocks than group.json, so some free
      // space lets the join through and refuses the commit.
      expect((await bin('kafka-topics', ['--create', '--topic', 'a', '--partitions', '80', '--replication-factor', '1'], dir)).code).toBe(0);
      expect((await bin('kafka-console-producer', ['--topic', 'a'], dir, 'x\ny\nz\n')).code).toBe(0);
      expect((await bin('kafka-console-consumer', ['--topic', 'a', '--group', 'g', '--from-beginning', '--timeout-ms', '800'], dir)).stdout.split('\n').sort()).toEqual(['', 'x', 'y', 'z']);
      const before = committed(dir);
      expect(Object.keys(before).length).toBe(80);
      expect(total(before)).toBe(3);
      expect((await bin('kafka-console-producer', ['--topic', 'a'], dir, 'p\nq\nr\n')).code).toBe(0);
      const groupDir = join(dir, 'groups', 'g');

      // At each amount of free space, up to the one where the commit fits.
      const step = kind === 'tmpfs' ? 4096 : 2048;
      const failedOn = new Set<string>();
      for (let k = 0; k <= 12; k++) {
        disk.leave(k * step);
        const r = await bin('kafka-console-consumer', ['--topic', 'a', '--group', 'g', '--timeout-ms', '800'], dir);
        if (r.code === 0) {
          expect(r.stdout.split('\n').sort()).toEqual(['', 'p', 'q', 'r']);
          expect(total(committed(dir))).toBe(6);
          break;
        }
        expect(r.code).toBe(1);
        const lines = r.stderr.split('\n').filter(Boolean);
        const errors = lines.filter((l) => l.startsWith('Error: '));
        expect(errors.length, r.stderr).toBe(1);
        const m1 = new RegExp(`^Error: No space left on device while writing ${groupDir}/(group|offsets)\\.json: free some disk space and retry\\.$`).exec(errors[0]);
        expect(m1, errors[0]).not.toBeNull();
        failedOn.add(m1![1]);
        // The count is the last line, the error right above it.
        expect(lines.length).toBe(2);
        expect(lines[1]).toMatch(/^Processed a total of \d+ messages$/);
        expect(committed(dir)).toEqual(before);
        expect(disk.files().filter((f) => f.endsWith('.tmp'))).toEqual([]);
        expect(await describedTotal(dir)).toBe(3);
      }
      // The commit itself was refused at least once, not only the join.
      expect(failedOn.has('offsets')).toBe(true);
      expect(total(committed(dir))).toBe(6);

      disk.leave(0);
      const reset = await bin('kafka-consumer-groups', ['--group', 'g', '--reset-offsets', '--to-earliest', '--topic', 'a', '--execute'], dir);
      expect(reset.code).toBe(1);
      // Nothing was reset, so no table of new offsets.
      expect(reset.stdout).toBe('');
      expect(reset.stderr).toBe(`\nError: Executing consumer group command failed due to No space left on device while writing ${groupDir}/offsets.json: free some disk space and retry.\n`);
      expect(total(committed(dir))).toBe(6);
      expect(await describedTotal(dir)).toBe(6);
      expect(disk.files().filter((f) => f.endsWith('.tmp'))).toEqual([]);

      disk.free();
      const again = await bin('kafka-consumer-groups', ['--group', 'g', '--reset-offsets', '--to-earliest', '--topic', 'a', '--execute'], dir);
      expect(again.code).toBe(0);
      expect(again.stdout.split('\n').filter((l) => /^g +a +\d+ +0 +$/.test(l)).length).toBe(80);
      expect(total(committed(dir))).toBe(0);
    });
  });
}

for (const [kind, m] of Object.entries(disks)) {
  const skipped = m.skip ? ` (skipped: ${m.skip})` : '';
  describe(`kafka-console-consumer without --group on a full ${kind}`, () => {
    it.skipIf(m.disk === null)(`reads every record, says in one WARN line that its made-up group is not joined, and writes no file${skipped}`, async () => {
      const disk = m.disk!;
      const dir = join(disk.root, 'private');
      expect((await bin('kafka-topics', ['--create', '--topic', 'p', '--partitions', '3', '--replication-factor', '1'], dir)).code).toBe(0);
      const lines = Array.from({ length: 30 }, (_, i) => `r${i}`);
      expect((await bin('kafka-console-producer', ['--topic', 'p'], dir, lines.join('\n') + '\n')).code).toBe(0);
      disk.leave(0);
      const before = disk.files();
      const r = await bin('kafka-console-consumer', ['--topic', 'p', '--from-beginning', '--timeout-ms', '1000'], dir);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout.split('\n').filter(Boolean).sort()).toEqual([...lines].sort());
      const stderr = r.stderr.split('\n').filter(Boolean);
      expect(stderr).toHaveLength(2);
      expect(stderr[0]).toMatch(
        // ext4 has no block for a new dir; tmpfs refuses the file.
        new RegExp(`^WARN No space left on device while (?:creating ${dir}/groups/(console-consumer-\\d+)|writing ${dir}/groups/(console-consumer-\\d+)/group\\.json): reading every partition without joining group (?:\\1|\\2) \\(it is not listed while this runs\\)\\.$`),
      );
      expect(stderr[1]).toBe('Processed a total of 30 messages');
      // Nothing new but, on tmpfs (where a dir takes no page), the empty dir that holds groups.
      expect(disk.files().filter((f) => !before.includes(f) && f !== 'private/groups')).toEqual([]);
      // A named group is shared with other processes: without its membership it does not read.
      const named = await bin('kafka-console-consumer', ['--topic', 'p', '--group', 'g', '--from-beginning', '--timeout-ms', '1000'], dir);
      expect(named.code).toBe(1);
      expect(named.stdout).toBe('');
      expect(named.stderr).toMatch(new RegExp(`^Error: No space left on device while (?:creating ${dir}/groups/g|writing ${dir}/groups/g/group\\.json): free some disk space and retry\\.\nProcessed a total of 0 messages\n$`));
      disk.free();
    });
  });
}
