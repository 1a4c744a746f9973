// Issue 16 #1 and #3 through the real bins: one bad byte on the leader followed by an unclean stop
// must not erase committed records anywhere, and a deletion killed half-way must not resurrect data.
import { afterEach, describe, expect, it } from 'vitest';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { bin, cleanTempDirs, tempDir } from '../helpers.js';

afterEach(() => cleanTempDirs());

const numbered = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => `line-${from + i}`).join('\n') + '\n';

async function consumeAll(dir: string): Promise<string[]> {
  const r = await bin('kafka-console-consumer', ['--topic', 't', '--from-beginning', '--timeout-ms', '1500'], dir);
  return r.stdout.split('\n').filter(Boolean);
}

describe('replicas under faults, through the bins', () => {
  it('a flipped byte in the leader then an unclean stop: every acknowledged record survives on every replica, no offset reused (issue 16 #1)', async () => {
    const dir = tempDir();
    expect((await bin('kafka-topics', ['--create', '--topic', 't', '--replica-assignment', '1:2:3'], dir)).code).toBe(0);
    for (let run = 0; run < 6; run++) {
      expect((await bin('kafka-console-producer', ['--topic', 't', '--request-required-acks', 'all'], dir, numbered(run * 500 + 1, run * 500 + 500))).code).toBe(0);
    }
    const leaderLog = join(dir, 'broker-1', 't-0', '00000000000000000000.log');
    const data = readFileSync(leaderLog);
    // A byte inside the fourth batch's records; the CRC catches it, recovery would cut the leader there.
    let pos = 0;
    for (let i = 0; i < 3; i++) pos += 12 + data.readInt32BE(pos + 8);
    data[pos + 200] ^= 0xff;
    writeFileSync(leaderLog, data);
    for (const b of [1, 2, 3]) rmSync(join(dir, `broker-${b}`, 't-0', '.kafka_cleanshutdown'), { force: true });
    const next = await bin('kafka-console-producer', ['--topic', 't', '--request-required-acks', 'all'], dir, numbered(3001, 3010));
    expect(next.code).toBe(0);
    expect(next.stderr).toContain('Repaired t-0 on broker 1: offsets 1500 to 2999, lost by its recovery, copied back from broker 2.');
    const lines = await consumeAll(dir);
    expect(lines).toEqual(numbered(1, 3010).trim().split('\n'));
    const files = [1, 2, 3].map((b) => readFileSync(join(dir, `broker-${b}`, 't-0', '00000000000000000000.log')));
    expect(files[1].equals(files[0])).toBe(true);
    expect(files[2].equals(files[0])).toBe(true);
  });

  it('a record refused on its own (above max.request.size) stops nothing: the lines around it are written, exit 1 (issue 16)', async () => {
    const dir = tempDir();
    const r = await bin('kafka-console-producer', ['--topic', 't'], dir, `a\nb\n${'x'.repeat(2_000_000)}\nc\nd\n`);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('Error: The message is 2000026 bytes when serialized which is larger than 1048576, which is the value of the max.request.size configuration.\n');
    expect(await consumeAll(dir)).toEqual(['a', 'b', 'c', 'd']);
  });

  it('a kafka-topics --delete killed after the metadata change: a new topic of the same name starts empty (issue 16 #3)', async () => {
    const dir = tempDir();
    expect((await bin('kafka-topics', ['--create', '--topic', 't', '--partitions', '2', '--replication-factor', '3'], dir)).code).toBe(0);
    expect((await bin('kafka-console-producer', ['--topic', 't'], dir, numbered(1, 1000))).code).toBe(0);
    // What a kill leaves: metadata.json without the topic, every partition dir still in place.
    const metaPath = join(dir, 'metadata.json');
    const meta = JSON.parse(readFileSync(metaPath, 'utf8'));
    delete meta.topics.t;
    writeFileSync(metaPath, JSON.stringify(meta));
    expect((await bin('kafka-topics', ['--create', '--topic', 't', '--partitions', '2', '--replication-factor', '3'], dir)).code).toBe(0);
    expect(await consumeAll(dir)).toEqual([]);
    expect((await bin('kafka-console-producer', ['--topic', 't'], dir, 'fresh\n')).code).toBe(0);
    expect(await consumeAll(dir)).toEqual(['fresh']);
  });
});
