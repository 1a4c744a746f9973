// kafka-dump-log on segments kcat (librdkafka) wrote through kafka-server-start: idempotent batches with
// headers, dumped batch for batch as the engine itself reads them. (Compressed batches are covered by
// the embedded producer's test: librdkafka does not compress towards kafka-server-start, see the report.)
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { PartitionLog } from '../../src/engine/log/partition-log.js';
import { decodeBatch } from '../../src/engine/record/batch.js';
import { CODEC_NAMES } from '../../src/engine/record/compression.js';
import { batchSizeAt } from '../../src/engine/record/header.js';
import { bin, cleanTempDirs, tempDir } from '../helpers.js';
import { runProcess, startServerProcess } from './server-process.js';

afterEach(cleanTempDirs);

const BATCH_LINE =
  /^baseOffset: (\d+) lastOffset: (\d+) count: (\d+) baseSequence: (-?\d+) lastSequence: (-?\d+) producerId: (-?\d+) producerEpoch: (-?\d+) partitionLeaderEpoch: \d+ isTransactional: false isControl: false deleteHorizonMs: OptionalLong.empty position: \d+ CreateTime: \d+ size: (\d+) magic: 2 compresscodec: (\w+) crc: (\d+) isvalid: true$/;

describe('kafka-dump-log on what kcat produced through kafka-server-start', () => {
  it('agrees with the engine batch for batch: offsets, counts, sequences, producer ids, codecs, CRCs', async () => {
    const dataDir = tempDir();
    expect((await bin('kafka-topics', ['--create', '--topic', 'dl', '--partitions', '1', '--replication-factor', '1'], dataDir)).code).toBe(0);
    const server = await startServerProcess(dataDir);
    try {
      for (const run of ['aaaa', 'bbbb', 'cccc']) {
        const lines = Array.from({ length: 300 }, (_, i) => `k${i}|${run}-${i}`).join('\n');
        const p = await runProcess('kcat', ['-b', server.bootstrap, '-P', '-t', 'dl', '-K', '|', '-H', 'h1=v', '-X', 'enable.idempotence=true'], { input: `${lines}\n` });
        expect(p.code, p.stderr).toBe(0);
      }
    } finally {
      expect(await server.stop()).toBe(0);
    }
    const broker = readdirSync(dataDir).find((b) => b.startsWith('broker-') && readdirSync(join(dataDir, b)).includes('dl-0'))!;
    const dir = join(dataDir, broker, 'dl-0');

    const r = await bin('kafka-dump-log', ['--files', join(dir, '00000000000000000000.log'), '--deep-iteration'], dataDir);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const batchLines = r.stdout.split('\n').filter((l) => l.startsWith('baseOffset: '));
    const dumped = batchLines.map((l) => {
      const m = BATCH_LINE.exec(l);
      expect(m, l).not.toBeNull();
      const n = m!.slice(1).map((x) => (/^-?\d+$/.test(x) ? Number(x) : x));
      return { baseOffset: n[0], lastOffset: n[1], count: n[2], baseSequence: n[3], producerId: n[5], size: n[7], codec: n[8], crc: n[9] };
    });

    const log = PartitionLog.open(dir);
    const engine = [];
    try {
      const { records } = log.read(0, 1 << 24);
      for (let p = 0; p < records.length; p += batchSizeAt(records, p)) {
        const b = decodeBatch(records, p);
        const h = b.header;
        engine.push({ baseOffset: h.baseOffset, lastOffset: h.baseOffset + h.lastOffsetDelta, count: b.records.length, baseSequence: h.baseSequence, producerId: h.producerId, size: b.size, codec: CODEC_NAMES[h.attributes & 7], crc: h.crc });
      }
    } finally {
      log.close();
    }
    expect(dumped).toEqual(engine);
    expect(dumped.length).toBeGreaterThanOrEqual(3);
    expect(dumped.every((d) => (d.producerId as number) >= 0)).toBe(true);

    const recordLines = r.stdout.split('\n').filter((l) => l.startsWith('| '));
    expect(recordLines).toHaveLength(900);
    expect(recordLines[0]).toMatch(/^\| offset: 0 CreateTime: \d+ keySize: 2 valueSize: 6 sequence: 0 headerKeys: \[h1\]$/);
    expect(recordLines[899]).toMatch(/^\| offset: 899 CreateTime: \d+ keySize: 4 valueSize: 8 sequence: \d+ headerKeys: \[h1\]$/);
  });
});
