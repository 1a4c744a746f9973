// Topic metadata changes on a disk with room for only part of them: at every amount of free space
// the change is whole or absent (metadata.json and the partition dirs agree), the error is one line,
// and the read-only commands still work. On tmpfs and on ext4 (where a directory takes a block too).
import { afterAll, describe, expect, it } from 'vitest';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { bin } from '../helpers.js';
import { mountSmallDisk, type Mounted } from './small-disk.js';

const disks: Record<string, Mounted> = { tmpfs: mountSmallDisk('tmpfs', 2048), ext4: mountSmallDisk('ext4', 4096) };
afterAll(() => {
  for (const m of Object.values(disks)) m.disk?.unmount();
});

const NO_SPACE = /^No space left on device while writing (\S+): free some disk space and retry\.$/;

interface TopicMeta {
  topicId: string;
  configs: Record<string, string>;
  partitions: { partition: number; replicas: number[] }[];
}

function metadata(dir: string, name: string): TopicMeta | undefined {
  return JSON.parse(readFileSync(join(dir, 'metadata.json'), 'utf8')).topics[name];
}

/** The partition dirs of `name` on disk: broker-N/<name>-P and partitions/<name>-P. */
function partitionDirs(dir: string, name: string): string[] {
  const out: string[] = [];
  for (const top of readdirSync(dir)) {
    if (!/^broker-\d+$/.test(top) && top !== 'partitions') continue;
    for (const d of readdirSync(join(dir, top))) if (new RegExp(`^${name}-\\d+`).test(d)) out.push(`${top}/${d}`);
  }
  return out.sort();
}

/** Whether metadata.json and the dirs agree on `name`: the dirs it names, each stamped with its id, and no others. */
function agreement(dir: string, name: string): 'absent' | 'whole' {
  const t = metadata(dir, name);
  const dirs = partitionDirs(dir, name);
  if (!t) {
    expect(dirs).toEqual([]);
    return 'absent';
  }
  const expected = t.partitions.flatMap((p) => [...p.replicas.map((b) => `broker-${b}/${name}-${p.partition}`), `partitions/${name}-${p.partition}`]).sort();
  expect(dirs).toEqual(expected);
  for (const d of dirs) expect(readFileSync(join(dir, d, 'partition.metadata'), 'utf8')).toBe(`version: 0\ntopic_id: ${t.topicId}\n`);
  return 'whole';
}

async function readOnlyCommandsWork(dir: string): Promise<void> {
  const list = await bin('kafka-topics', ['--list'], dir);
  expect(list.code).toBe(0);
  expect(list.stdout.split('\n')).toContain('base');
  const described = await bin('kafka-topics', ['--describe', '--topic', 'base'], dir);
  expect(described.code).toBe(0);
  expect(described.stdout).toMatch(/^Topic: base\tTopicId: \S+\tPartitionCount: \d+\tReplicationFactor: 3\tConfigs: /);
}

for (const [kind, m] of Object.entries(disks)) {
  const skipped = m.skip ? ` (skipped: ${m.skip})` : '';
  describe(`topic metadata on a full ${kind}`, () => {
    it.skipIf(m.disk === null)(`kafka-topics --create at every amount of free space: created whole, or exit 1 with one line and no trace${skipped}`, async () => {
      const disk = m.disk!;
      const dir = join(disk.root, 'create');
      expect((await bin('kafka-topics', ['--create', '--topic', 'base', '--partitions', '1', '--replication-factor', '3'], dir)).code).toBe(0);
      const failedOn = new Set<string>();
      let created = 0;
      // A file takes a page on tmpfs; on ext4 (1 KiB blocks here) a directory takes a block too.
      const step = kind === 'tmpfs' ? 4096 : 2048;
      for (let k = 0; k <= 20 && created === 0; k++) {
        disk.leave(k * step);
        const name = `c${k}`;
        const r = await bin('kafka-topics', ['--create', '--topic', name, '--partitions', '2', '--replication-factor', '3'], dir);
        if (r.code === 0) {
          expect(r.stdout).toBe(`Created topic ${name}.\n`);
          expect(agreement(dir, name)).toBe('whole');
          created++;
          continue;
        }
        expect(r.code).toBe(1);
        expect(r.stdout).toBe('');
        const m1 = /^Error while executing topic command : (.*)\n$/.exec(r.stderr);
        expect(m1, r.stderr).not.toBeNull();
        const file = NO_SPACE.exec(m1![1])?.[1];
        expect(file, r.stderr).toBeDefined();
        const where = file!.endsWith('/metadata.json') ? 'metadata.json' : 'partition dir';
        expect(agreement(dir, name)).toBe('absent');
        expect(disk.files().filter((f) => f.endsWith('.tmp'))).toEqual([]);
        if (!failedOn.has(where)) await readOnlyCommandsWork(dir);
        failedOn.add(where);
      }
      // The steps went through both failures (a partition's dir, then metadata.json) to a success.
      expect([...failedOn].sort()).toEqual(['metadata.json', 'partition dir']);
      expect(created).toBe(1);
      disk.free();
    });

    it.skipIf(m.disk === null)(`kafka-topics --alter --partitions and kafka-configs --alter on a full disk: exit 1, one error, nothing changed${skipped}`, async () => {
      const disk = m.disk!;
      disk.free();
      const dir = join(disk.root, 'alter');
      expect((await bin('kafka-topics', ['--create', '--topic', 'base', '--partitions', '1', '--replication-factor', '3', '--config', 'retention.ms=5000'], dir)).code).toBe(0);
      const step = kind === 'tmpfs' ? 4096 : 2048;
      let grown = 1;
      for (let k = 0; k <= 20 && grown === 1; k++) {
        disk.leave(k * step);
        const r = await bin('kafka-topics', ['--alter', '--topic', 'base', '--partitions', '2'], dir);
        if (r.code === 0) grown = 2;
        else {
          expect(r.code).toBe(1);
          expect(r.stderr).toMatch(/^Error while executing topic command : No space left on device while writing \S+: free some disk space and retry\.\n$/);
        }
        expect(metadata(dir, 'base')!.partitions.length).toBe(grown);
        expect(agreement(dir, 'base')).toBe('whole');
      }
      await readOnlyCommandsWork(dir);
      expect(grown).toBe(2);

      disk.leave(0);
      const argv = ['--alter', '--entity-type', 'topics', '--entity-name', 'base', '--add-config', 'retention.ms=9000'];
      const c = await bin('kafka-configs', argv, dir);
      expect(c.code).toBe(1);
      expect(c.stderr).toBe(
        `Error while executing config command with args '${argv.join(' ')}'\njava.util.concurrent.ExecutionException: org.apache.kafka.common.errors.KafkaStorageException: No space left on device while writing ${join(dir, 'metadata.json')}: free some disk space and retry.\n`,
      );
      expect(metadata(dir, 'base')!.configs).toEqual({ 'retention.ms': '5000' });
      const d = await bin('kafka-configs', ['--describe', '--entity-type', 'topics', '--entity-name', 'base'], dir);
      expect(d.code).toBe(0);
      expect(d.stdout).toContain('retention.ms=5000');
      expect(disk.files().filter((f) => f.endsWith('.tmp'))).toEqual([]);
      expect(existsSync(join(dir, 'metadata.json'))).toBe(true);
      disk.free();
      expect((await bin('kafka-configs', argv, dir)).code).toBe(0);
      expect(metadata(dir, 'base')!.configs).toEqual({ 'retention.ms': '9000' });
    });

    it.skipIf(m.disk === null)(`kafka-topics --delete on a full disk: a topic whose files make room is deleted, one that cannot is left whole${skipped}`, async () => {
      const disk = m.disk!;
      disk.free();
      const dir = join(disk.root, 'delete');
      for (const name of ['base', 'big', 'empty']) {
        expect((await bin('kafka-topics', ['--create', '--topic', name, '--partitions', '1', '--replication-factor', '1'], dir)).code).toBe(0);
      }
      const lines = Array.from({ length: 4000 }, (_, i) => `record ${i} of the topic that fills the disk`).join('\n') + '\n';
      expect((await bin('kafka-console-producer', ['--topic', 'big'], dir, lines)).code).toBe(0);
      // Its files take less than the new metadata.json: refused, nothing changed. (ext4 can give a
      // few blocks back after the filler's last write; a deletion that found them is whole, and the
      // topic is made again for another try.)
      let refused = false;
      for (let attempt = 0; attempt < 5 && !refused; attempt++) {
        disk.leave(0);
        const empty = await bin('kafka-topics', ['--delete', '--topic', 'empty'], dir);
        if (empty.code === 0) {
          expect(agreement(dir, 'empty')).toBe('absent');
          disk.free();
          expect((await bin('kafka-topics', ['--create', '--topic', 'empty', '--partitions', '1', '--replication-factor', '1'], dir)).code).toBe(0);
          continue;
        }
        expect(empty.code).toBe(1);
        expect(empty.stderr).toBe(`Error while executing topic command : No space left on device while writing ${join(dir, 'metadata.json')}: free some disk space and retry.\n`);
        expect(agreement(dir, 'empty')).toBe('whole');
        refused = true;
      }
      expect(refused).toBe(true);
      // Its files are what the user wants gone, and they make room for the rest of the deletion.
      const big = await bin('kafka-topics', ['--delete', '--topic', 'big'], dir);
      expect(big.code, big.stderr).toBe(0);
      expect(big.stdout + big.stderr).toBe('');
      expect(agreement(dir, 'big')).toBe('absent');
      expect(disk.files().filter((f) => f.endsWith('.tmp') || f.endsWith('-delete'))).toEqual([]);
      const list = await bin('kafka-topics', ['--list'], dir);
      expect(list.stdout).toBe('base\nempty\n');
      // And the room is there: the other topics take writes again.
      expect((await bin('kafka-console-producer', ['--topic', 'base'], dir, 'x\n')).code).toBe(0);
      expect((await bin('kafka-topics', ['--delete', '--topic', 'empty'], dir)).code).toBe(0);
      disk.free();
    });
  });
}
