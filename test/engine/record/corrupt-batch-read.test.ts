// A reader that meets a batch it cannot read says where it is in one line, and
// kafka-console-consumer --skip-message-on-error skips that batch and goes on. The bad batch is
// written into the segment file by hand, as a bug or a disk could leave it: either with a valid
// CRC over records that do not match its header, or with a broken CRC.
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { batchSizeAt, computeBatchCrc } from '../../../src/engine/record/header.js';
import { bin, cleanTempDirs, tempDir } from '../../helpers.js';

afterAll(() => cleanTempDirs());

function segmentOf(dir: string): string {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) {
      const found = segmentOf(p);
      if (found) return found;
    } else if (name.endsWith('.log') && name !== 'server.log') return p;
  }
  return '';
}

/** Topic t with three one-record batches a, b, c (offsets 0, 1, 2), the middle one spoiled by `spoil`. */
async function spoiledTopic(spoil: (batch: Buffer) => void): Promise<string> {
  const dir = tempDir();
  await bin('kafka-topics', ['--create', '--topic', 't', '--partitions', '1', '--replication-factor', '1'], dir);
  for (const v of ['a', 'b', 'c']) expect((await bin('kafka-console-producer', ['--topic', 't'], dir, `${v}\n`)).code).toBe(0);
  const file = segmentOf(dir);
  const log = readFileSync(file);
  const second = batchSizeAt(log, 0);
  spoil(log.subarray(second, second + batchSizeAt(log, second)));
  writeFileSync(file, log);
  return dir;
}

const claimsThreeRecords = (b: Buffer) => {
  b.writeInt32BE(3, 57);
  b.writeUInt32BE(computeBatchCrc(b, 0, b.length), 17);
};
const flipValueByte = (b: Buffer) => {
  b[b.length - 2] ^= 0x40;
};

const consume = (dir: string, extra: string[]) => bin('kafka-console-consumer', ['--topic', 't', '--from-beginning', '--timeout-ms', '1500', ...extra], dir);

describe.each([
  ['the value fast path', []],
  ['poll()', ['--property', 'print.offset=true']],
])('a corrupt batch met by kafka-console-consumer (%s)', (_path, extra) => {
  const first = extra.length === 0 ? 'a\n' : 'Offset:0\ta\n';
  const last = extra.length === 0 ? 'c\n' : 'Offset:2\tc\n';

  it('with a valid CRC over records that do not match the header: one line naming partition, offset and reason; exit 1', async () => {
    const dir = await spoiledTopic(claimsThreeRecords);
    const r = await consume(dir, extra);
    expect(r.stdout).toBe(first);
    expect(r.code).toBe(1);
    const errors = r.stderr.split('\n').filter((l) => l.startsWith('Error'));
    expect(errors).toEqual([
      expect.stringMatching(
        /^Error: Cannot read t-0 at offset 1: Record batch at offset 1 claims 3 records but holds only 8 bytes of records\. Seek to offset 2 to skip the batch \(kafka-console-consumer: --skip-message-on-error\)\.$/,
      ),
    ]);
  });

  it('with a broken CRC: the same, with the CRC as the reason', async () => {
    const dir = await spoiledTopic(flipValueByte);
    const r = await consume(dir, extra);
    expect(r.stdout).toBe(first);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^Error: Cannot read t-0 at offset 1: Record batch is corrupt \(stored crc = \d+, computed crc = \d+\)\. Seek to offset 2 to skip the batch \(kafka-console-consumer: --skip-message-on-error\)\.$/m);
  });

  it.each([
    ['a valid CRC', claimsThreeRecords, /^Skipping the corrupt record batch of t-0 at offsets 1 to 1: Record batch at offset 1 claims 3 records but holds only 8 bytes of records\.$/],
    ['a broken CRC', flipValueByte, /^Skipping the corrupt record batch of t-0 at offsets 1 to 1: Record batch is corrupt \(stored crc = \d+, computed crc = \d+\)\.$/],
  ])('with --skip-message-on-error skips the batch with %s, says so, and goes on', async (_what, spoil, reason) => {
    const dir = await spoiledTopic(spoil);
    const r = await consume(dir, [...extra, '--skip-message-on-error']);
    expect(r.stdout).toBe(first + last);
    expect(r.code).toBe(0);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(reason);
    expect(lines[1]).toBe('Processed a total of 2 messages');
  });
});
