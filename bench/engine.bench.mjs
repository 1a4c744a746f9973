// PartitionLog append and read throughput, against plain fs writes and reads of the same bytes.
import { closeSync, mkdtempSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PartitionLog } from '../dist/engine/log/partition-log.js';
import { encodeBatch } from '../dist/engine/record/batch.js';

const BATCHES = 4000;
const value = Buffer.alloc(100, 'v');
const batch = encodeBatch(Array.from({ length: 150 }, () => ({ key: null, value })));
const MB = (BATCHES * batch.length) / 1e6;

export default async function run() {
  const dir = mkdtempSync(join(tmpdir(), 'kafkit-bench-'));
  try {
    const log = PartitionLog.open(join(dir, 'log'));
    let t = process.hrtime.bigint();
    for (let i = 0; i < BATCHES; i++) log.append(Buffer.from(batch));
    const append = MB / (Number(process.hrtime.bigint() - t) / 1e9);

    const fd = openSync(join(dir, 'plain'), 'a');
    t = process.hrtime.bigint();
    for (let i = 0; i < BATCHES; i++) writeSync(fd, batch);
    const plainWrite = MB / (Number(process.hrtime.bigint() - t) / 1e9);
    closeSync(fd);

    t = process.hrtime.bigint();
    let offset = 0;
    let bytes = 0;
    while (offset < log.logEndOffset()) {
      const { records } = log.read(offset, 1 << 20);
      bytes += records.length;
      offset += (records.length / batch.length) * 150;
    }
    const read = bytes / 1e6 / (Number(process.hrtime.bigint() - t) / 1e9);

    const rfd = openSync(join(dir, 'plain'), 'r');
    const buf = Buffer.allocUnsafe(1 << 20);
    t = process.hrtime.bigint();
    let pos = 0;
    for (let n; (n = readSync(rfd, buf, 0, buf.length, pos)) > 0; ) pos += n;
    const plainRead = pos / 1e6 / (Number(process.hrtime.bigint() - t) / 1e9);
    closeSync(rfd);
    log.close();
    return [
      { name: 'PartitionLog.append (16 KB batches, lock + index)', value: append, unit: 'MB/s', reference: { name: 'fs.writeSync same bytes', value: plainWrite }, goal: '>= 0.3x' },
      { name: 'PartitionLog.read (1 MiB fetches)', value: read, unit: 'MB/s', reference: { name: 'fs.readSync same bytes', value: plainRead }, goal: '>= 0.3x' },
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
