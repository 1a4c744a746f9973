// Issue 16 #4 and #6 through the real bins: a garbage log-start checkpoint and a torn last batch
// under a surviving index entry, on the leader's replica.
import { afterEach, describe, expect, it } from 'vitest';
import { readFileSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { bin, cleanTempDirs, tempDir } from '../helpers.js';

afterEach(() => cleanTempDirs());

/** Topic t (1 partition, RF 1) with `runs` producer runs of 500 lines: one batch each. */
async function topicWithBatches(runs: number): Promise<{ dir: string; replica: string }> {
  const dir = tempDir();
  expect((await bin('kafka-topics', ['--create', '--topic', 't', '--partitions', '1', '--replication-factor', '1'], dir)).code).toBe(0);
  for (let i = 0; i < runs; i++) {
    const lines = Array.from({ length: 500 }, (_, j) => `run${i}-line-${j}`).join('\n');
    expect((await bin('kafka-console-producer', ['--topic', 't'], dir, `${lines}\n`)).code).toBe(0);
  }
  const leader = JSON.parse(readFileSync(join(dir, 'metadata.json'), 'utf8')).topics.t.partitions[0].leader;
  return { dir, replica: join(dir, `broker-${leader}`, 't-0') };
}

/** Byte position of the last batch in a .log. */
function lastBatchPosition(path: string): number {
  const b = readFileSync(path);
  let p = 0;
  let last = 0;
  while (p + 12 <= b.length) {
    last = p;
    p += 12 + b.readInt32BE(p + 8);
  }
  return last;
}

describe('faults on the leader replica, through the bins', () => {
  it('a torn last batch whose index entry survived: the consumer prints the whole batches and stops at its timeout', async () => {
    const { dir, replica } = await topicWithBatches(6);
    const log = join(replica, '00000000000000000000.log');
    expect(statSync(join(replica, '00000000000000000000.index')).size).toBe(5 * 8);
    truncateSync(log, lastBatchPosition(log) + 100);
    const started = Date.now();
    const r = await bin('kafka-console-consumer', ['--topic', 't', '--from-beginning', '--timeout-ms', '2000'], dir);
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n').filter(Boolean);
    expect(lines.length).toBe(2500);
    expect(new Set(lines).size).toBe(2500);
    // A single replica: the torn batch's records are gone, and the high watermark comes down to what is left.
    expect(r.stderr).toBe(
      `WARN Ignoring ${join(dir, 'partitions', 't-0', 'high-watermark')}: it holds offset 3000, beyond the log end offset of every in-sync replica (2500), so the file is wrong (or the records were lost); the high watermark is recomputed from the in-sync replicas.\nProcessed a total of 2500 messages\n`,
    );
  });

  it('a log-start-offset-checkpoint of 999999: the next producer keeps every record and consumers see them all', async () => {
    const { dir, replica } = await topicWithBatches(2);
    writeFileSync(join(replica, 'log-start-offset-checkpoint'), '0\n1\nt 0 999999\n');
    const p = await bin('kafka-console-producer', ['--topic', 't'], dir, 'after\n');
    expect(p.code).toBe(0);
    expect(p.stderr).toBe(`WARN Ignoring ${join(replica, 'log-start-offset-checkpoint')}: its log start offset 999999 is beyond the log end offset 1000, so the file is corrupt.\n`);
    const r = await bin('kafka-console-consumer', ['--topic', 't', '--from-beginning', '--timeout-ms', '1500'], dir);
    expect(r.stdout.split('\n').filter(Boolean).length).toBe(1001);
    expect(r.stdout.endsWith('after\n')).toBe(true);
  });

  it('a flipped byte in a batch base offset: the consumer stops there with one line naming file, position and offsets, not skipping records', async () => {
    const { dir, replica } = await topicWithBatches(3);
    const log = join(replica, '00000000000000000000.log');
    const buf = readFileSync(log);
    const second = 12 + buf.readInt32BE(8);
    buf[second + 6] ^= 0x10; // base offset 500 -> 4596
    writeFileSync(log, buf);
    const r = await bin('kafka-console-consumer', ['--topic', 't', '--from-beginning', '--timeout-ms', '2000'], dir);
    expect(r.code).toBe(1);
    expect(r.stdout.split('\n').filter(Boolean).length).toBe(500);
    // (where "Processed a total" goes relative to the error is another issue's)
    expect(r.stderr).toContain(
      `Error: Corrupt log segment ${log}: the batch at position ${second} holds offsets 4596 to 5095, but the batch before it ends at offset 499; repair this replica from a healthy one or truncate it below offset 500.\n`,
    );
  });
});
