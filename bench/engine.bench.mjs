// PartitionLog append and read throughput with 16 KB batches of 100-byte records, against plain
// fs.writeSync / fs.readSync of the same bytes to a plain file in the same run. Best of 3 rounds
// (the shared VM is noisy); everything lives under os.tmpdir() and is removed.
import { closeSync, mkdtempSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PartitionLog } from '../dist/engine/log/partition-log.js';
import { encodeBatch } from '../dist/engine/record/batch.js';

const RECORDS_PER_BATCH = 150; // 150 x 100-byte values = a 16.4 KB batch
const BATCHES = 8192; // ~134 MB per round
const ROUNDS = 3;
const FETCH = 1 << 20;

// librdkafka's default batch (batch.size 1,000,000 bytes): 9,000 x 100-byte records, ~0.96 MB.
const BIG_RECORDS_PER_BATCH = 9000;
const BIG_BATCHES = 128; // ~123 MB per round
const bigBatch = encodeBatch(Array.from({ length: BIG_RECORDS_PER_BATCH }, (_, i) => ({ key: null, value: Buffer.alloc(100, 97 + (i % 26)) })));
const bigRecords = BIG_BATCHES * BIG_RECORDS_PER_BATCH;

const batch = encodeBatch(Array.from({ length: RECORDS_PER_BATCH }, (_, i) => ({ key: null, value: Buffer.alloc(100, 97 + (i % 26)) })));
const bytes = BATCHES * batch.length;
const records = BATCHES * RECORDS_PER_BATCH;

const seconds = (t0) => Number(process.hrtime.bigint() - t0) / 1e9;

function round(dir) {
  const log = PartitionLog.open(join(dir, 'topic-0'));
  let t = process.hrtime.bigint();
  for (let i = 0; i < BATCHES; i++) log.append(batch);
  const append = seconds(t);
  log.close();

  // The same appends when the caller already holds a lock of its own (the cluster's path): the
  // log's own cost without the per-append lock file.
  const held = PartitionLog.open(join(dir, 'topic-1'));
  t = process.hrtime.bigint();
  for (let i = 0; i < BATCHES; i++) held.append(batch, { lockHeld: true });
  const appendHeld = seconds(t);
  held.close();

  const big = PartitionLog.open(join(dir, 'topic-2'));
  t = process.hrtime.bigint();
  for (let i = 0; i < BIG_BATCHES; i++) big.append(bigBatch);
  const appendBig = seconds(t);
  big.close();
  const bigFd = openSync(join(dir, 'plain-big'), 'a');
  t = process.hrtime.bigint();
  for (let i = 0; i < BIG_BATCHES; i++) writeSync(bigFd, bigBatch);
  const plainWriteBig = seconds(t);
  closeSync(bigFd);

  const fd = openSync(join(dir, 'plain'), 'a');
  t = process.hrtime.bigint();
  for (let i = 0; i < BATCHES; i++) writeSync(fd, batch);
  const plainWrite = seconds(t);
  closeSync(fd);

  const reader = PartitionLog.open(join(dir, 'topic-0'));
  t = process.hrtime.bigint();
  let offset = 0;
  let got = 0;
  const end = reader.logEndOffset();
  while (offset < end) {
    const { records: r } = reader.read(offset, FETCH);
    got += r.length;
    // the last batch's last offset: baseOffset + lastOffsetDelta, read from its header
    const lastStart = r.length - batch.length;
    offset = Number(r.readBigInt64BE(lastStart)) + r.readInt32BE(lastStart + 23) + 1;
  }
  const read = seconds(t);
  if (got !== bytes) throw new Error(`read ${got} bytes, expected ${bytes}`);

  const rfd = openSync(join(dir, 'plain'), 'r');
  const buf = Buffer.allocUnsafe(FETCH);
  t = process.hrtime.bigint();
  let pos = 0;
  for (let n; (n = readSync(rfd, buf, 0, buf.length, pos)) > 0; ) pos += n;
  const plainRead = seconds(t);
  // The same reads into a fresh buffer per fetch, as any API that hands the bytes over must do.
  t = process.hrtime.bigint();
  pos = 0;
  for (let n; (n = readSync(rfd, Buffer.allocUnsafe(FETCH), 0, FETCH, pos)) > 0; ) pos += n;
  const freshRead = seconds(t);
  closeSync(rfd);
  return { append, appendHeld, appendBig, plainWrite, plainWriteBig, read, plainRead, freshRead };
}

export default async function run() {
  const best = { append: Infinity, appendHeld: Infinity, appendBig: Infinity, plainWrite: Infinity, plainWriteBig: Infinity, read: Infinity, plainRead: Infinity, freshRead: Infinity };
  for (let i = 0; i < ROUNDS; i++) {
    const dir = mkdtempSync(join(tmpdir(), 'kafkit-bench-engine-'));
    try {
      const r = round(dir);
      for (const k of Object.keys(best)) best[k] = Math.min(best[k], r[k]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  const mb = (s) => bytes / 1e6 / s;
  const rec = (s) => records / s;
  return [
    { name: 'PartitionLog.append, 16 KB batches (lock + index + offsets)', value: mb(best.append), unit: 'MB/s', reference: { name: 'fs.writeSync same bytes', value: mb(best.plainWrite) }, goal: '>= 0.3x' },
    { name: 'PartitionLog.append, 16 KB batches, lockHeld (no per-append lock file)', value: mb(best.appendHeld), unit: 'MB/s', reference: { name: 'fs.writeSync same bytes', value: mb(best.plainWrite) }, goal: '>= 0.3x' },
    { name: 'PartitionLog.append, 100-byte records in 16 KB batches', value: rec(best.append), unit: 'records/s', reference: { name: 'fs.writeSync same bytes', value: rec(best.plainWrite) }, goal: '>= 3,000,000 records/s' },
    {
      name: 'PartitionLog.append, 100-byte records in ~1 MB batches (librdkafka default batch.size; lock per append)',
      value: bigRecords / best.appendBig,
      unit: 'records/s',
      reference: { name: 'fs.writeSync same bytes', value: bigRecords / best.plainWriteBig },
      goal: '>= 3,000,000 records/s',
    },
    { name: 'PartitionLog.read, 1 MiB fetches', value: mb(best.read), unit: 'MB/s', reference: { name: 'fs.readSync same bytes', value: mb(best.plainRead) }, goal: '>= 0.3x' },
    { name: 'PartitionLog.read, 1 MiB fetches (fresh buffers)', value: mb(best.read), unit: 'MB/s', reference: { name: 'fs.readSync into a fresh 1 MiB buffer each', value: mb(best.freshRead) }, goal: '>= 0.5x' },
    { name: 'PartitionLog.read, 100-byte records', value: rec(best.read), unit: 'records/s', reference: { name: 'fs.readSync same bytes', value: rec(best.plainRead) }, goal: '>= 5,000,000 records/s' },
  ];
}
