// kafka-server-start on a disk that fills while kcat (librdkafka, acks=all, idempotent) produces:
// the produce responses carry KAFKA_STORAGE_ERROR (56), the server keeps serving, leaves no tmp
// files, and takes records again once space is freed.
import { spawn } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { bin } from '../helpers.js';
import { runProcess, startServerProcess } from '../server/server-process.js';
import { track, until } from '../failover/brokers.js';
import { mountSmallDisk, type Mounted } from './small-disk.js';

const disks: Record<string, Mounted> = { tmpfs: mountSmallDisk('tmpfs', 8192), ext4: mountSmallDisk('ext4', 8192) };
afterAll(() => {
  for (const m of Object.values(disks)) m.disk?.unmount();
});

const lines = Array.from({ length: 20_000 }, (_, i) => `${String(i + 1).padStart(6, '0')}-${'v'.repeat(90)}`);
const after = Array.from({ length: 10 }, (_, i) => `after-${i + 1}`);

for (const [kind, m] of Object.entries(disks)) {
  describe(`kafka-server-start on a ${kind} that fills`, () => {
    it.skipIf(m.disk === null)(`kcat -P gets KAFKA_STORAGE_ERROR, the server keeps serving, and takes records again once space is freed${m.skip ? ` (skipped: ${m.skip})` : ''}`, async () => {
      const disk = m.disk!;
      const dir = join(disk.root, 'server');
      expect((await bin('kafka-topics', ['--create', '--topic', 't', '--partitions', '1', '--replication-factor', '1'], dir)).code).toBe(0);
      expect((await bin('kafka-topics', ['--create', '--topic', 'old', '--partitions', '1', '--replication-factor', '1'], dir)).code).toBe(0);
      expect((await bin('kafka-console-producer', ['--topic', 'old'], dir, `${lines.slice(0, 3000).join('\n')}\n`)).code).toBe(0);
      const server = await startServerProcess(dir);
      try {
        const kcat = (args: string[], input?: string) => runProcess('kcat', ['-b', server.bootstrap.split(',')[0], ...args], { input });
        const consume = async () => {
          const c = await kcat(['-C', '-t', 't', '-e', '-q']);
          expect(c.code).toBe(0);
          return c.stdout.split('\n').filter(Boolean);
        };
        disk.leave(600 * 1024);
        const p = await kcat(['-P', '-t', 't', '-X', 'acks=all', '-X', 'enable.idempotence=true', '-X', 'message.timeout.ms=3000'], `${lines.join('\n')}\n`);
        expect(p.code).not.toBe(0);
        expect(p.stderr).toContain('% Delivery failed for message: ');
        // Every refusal was Kafka's retriable storage error, named in the server's log.
        const refusals = server.stderr().split('\n').filter((l) => l.includes('Refused Produce'));
        expect(refusals.length).toBeGreaterThan(0);
        for (const r of refusals) {
          expect(r).toMatch(
            new RegExp(`Refused Produce v\\d+ from client 'rdkafka' at 127\\.0\\.0\\.1:\\d+ \\(broker \\d\\) with KAFKA_STORAGE_ERROR \\(56\\): org\\.apache\\.kafka\\.common\\.errors\\.KafkaStorageException: Cannot append to ${dir}/broker-\\d/t-0: No space left on device: free some disk space and retry\\.$`),
          );
        }
        // kafkit's own producer against the server, on a disk full to the last byte: Kafka's exception text, exit 1.
        disk.leave(0);
        const remoteLines = Array.from({ length: 100 }, (_, i) => `remote-${i}-${'r'.repeat(200)}`);
        const remote = await bin('kafka-console-producer', ['--bootstrap-server', server.bootstrap, '--topic', 't', '--producer-property', 'delivery.timeout.ms=3000'], dir, `${remoteLines.join('\n')}\n`);
        expect(remote.stderr).toBe("Error: org.apache.kafka.common.errors.KafkaStorageException: Disk error when trying to access log file on the disk. Check the broker's log dirs (a full disk?) and retry.\n");
        expect(remote.code).toBe(1);
        expect(server.child.exitCode).toBeNull();
        expect(disk.files().filter((f) => f.endsWith('.tmp'))).toEqual([]);
        // Deleting a topic through the server frees its space on the full disk: the server closes
        // the files first (a deleted file that a process holds open keeps its blocks).
        const freeBefore = disk.freeBytes();
        const del = await bin('kafka-topics', ['--bootstrap-server', server.bootstrap.split(',')[0], '--delete', '--topic', 'old'], dir);
        expect(del.stderr).toBe('');
        expect(del.code).toBe(0);
        expect(disk.freeBytes()).toBeGreaterThan(freeBefore + 250 * 1024);
        expect(disk.files().filter((f) => f.startsWith('server/broker-') && f.includes('/old-'))).toEqual([]);
        // What was kept is part of the input, in order, each record once. (Not always its start: a
        // smaller batch after a refused one may fit, and a new producer id is taken at any sequence,
        // as Kafka takes it.)
        const kept = await consume();
        expect(kept.length).toBeLessThan(lines.length);
        const at = kept.map((l) => Number(l.slice(0, 6)));
        for (let i = 0; i < kept.length; i++) {
          expect(kept[i]).toBe(lines[at[i] - 1]);
          if (i > 0) expect(at[i]).toBeGreaterThan(at[i - 1]);
        }

        disk.free();
        const next = await kcat(['-P', '-t', 't', '-X', 'acks=all'], `${after.join('\n')}\n`);
        expect(next.stderr).toBe('');
        expect(next.code).toBe(0);
        expect(await consume()).toEqual([...kept, ...after]);
        expect(server.child.exitCode).toBeNull();
      } finally {
        expect(await server.stop()).toBe(0);
      }
      expect(server.stderr()).toContain('kafkit server stopped cleanly');
      expect(disk.files().filter((f) => f.endsWith('.tmp'))).toEqual([]);
    });
  });
}

for (const [kind, m] of Object.entries(disks)) {
  describe(`a consumer group served on a full ${kind}`, () => {
    it.skipIf(m.disk === null)(`kcat -G is told NOT_COORDINATOR while the group cannot be stored, as Kafka's coordinator says, keeps retrying, and reads once space is freed${m.skip ? ` (skipped: ${m.skip})` : ''}`, async () => {
      const disk = m.disk!;
      const dir = join(disk.root, 'group');
      expect((await bin('kafka-topics', ['--create', '--topic', 'g', '--partitions', '1', '--replication-factor', '1'], dir)).code).toBe(0);
      expect((await bin('kafka-console-producer', ['--topic', 'g'], dir, 'one\ntwo\nthree\n')).code).toBe(0);
      const server = await startServerProcess(dir);
      try {
        disk.leave(0);
        const kcat = track(spawn('kcat', ['-b', server.bootstrap.split(',')[0], '-G', 'full-disk-group', '-o', 'beginning', '-e', '-q', '-X', 'auto.commit.interval.ms=100', 'g']));
        let out = '';
        kcat.stdout!.on('data', (d) => (out += d));
        const exit = new Promise<number | null>((resolve) => kcat.on('close', resolve));
        const refusal = /Refused JoinGroup v\d+ from client 'rdkafka' .* with NOT_COORDINATOR \(16\): The group coordinator could not store the group: No space left on device while (?:creating|writing) \S+: free some disk space and retry\.$/m;
        expect(await until(() => refusal.test(server.stderr()), 15_000), server.stderr()).toBe(true);
        // Still there, retrying, and nothing read: the group has no member yet.
        expect(kcat.exitCode).toBeNull();
        expect(out).toBe('');
        disk.free();
        expect(await exit).toBe(0);
        expect(out).toBe('one\ntwo\nthree\n');
      } finally {
        expect(await server.stop()).toBe(0);
      }
    });
  });
}
