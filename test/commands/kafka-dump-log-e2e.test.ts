// kafka-dump-log through the real bin on segments the console producer wrote (embedded): its batch
// lines agree with the engine's own reading of the log, and damaged files are reported, not fatal.
import { afterEach, describe, expect, it } from 'vitest';
import { appendFileSync, copyFileSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PartitionLog } from '../../src/engine/log/partition-log.js';
import { decodeBatch } from '../../src/engine/record/batch.js';
import { batchSizeAt } from '../../src/engine/record/header.js';
import { bin, cleanTempDirs, tempDir } from '../helpers.js';

afterEach(cleanTempDirs);

const SEGMENT = '00000000000000000000';

/** The data dir's first replica directory of `topic`-0. */
function replicaDir(dataDir: string, topic: string): string {
  for (const broker of readdirSync(dataDir).filter((n) => n.startsWith('broker-')).sort()) {
    if (readdirSync(join(dataDir, broker)).includes(`${topic}-0`)) return join(dataDir, broker, `${topic}-0`);
  }
  throw new Error(`no replica of ${topic}-0 in ${dataDir}`);
}

/** Three producer runs, so three batches of ~8 KB: the offset and time indexes get entries. */
async function produceThreeBatches(dataDir: string): Promise<string[]> {
  expect((await bin('kafka-topics', ['--create', '--topic', 't', '--partitions', '1', '--replication-factor', '1'], dataDir)).code).toBe(0);
  const all: string[] = [];
  for (let run = 0; run < 3; run++) {
    const lines = Array.from({ length: 200 }, (_, i) => `r${run}-${i}:value-${run}-${i}-${'x'.repeat(24)}`);
    all.push(...lines);
    const r = await bin('kafka-console-producer', ['--topic', 't', '--property', 'parse.key=true', '--property', 'key.separator=:'], dataDir, `${lines.join('\n')}\n`);
    expect(r).toEqual({ code: 0, stdout: '', stderr: '' });
  }
  return all;
}

/** The engine's view: the log read as a consumer's fetch reads it, batch by batch. */
function engineBatches(dir: string): Array<{ baseOffset: number; lastOffset: number; count: number; crc: number; size: number }> {
  const log = PartitionLog.open(dir);
  try {
    const { records } = log.read(0, 1 << 24);
    const out = [];
    for (let p = 0; p < records.length; p += batchSizeAt(records, p)) {
      const b = decodeBatch(records, p);
      out.push({ baseOffset: b.header.baseOffset, lastOffset: b.header.baseOffset + b.header.lastOffsetDelta, count: b.records.length, crc: b.header.crc, size: b.size });
    }
    return out;
  } finally {
    log.close();
  }
}

const BATCH_LINE =
  /^baseOffset: (\d+) lastOffset: (\d+) count: (\d+) baseSequence: -?\d+ lastSequence: -?\d+ producerId: -?\d+ producerEpoch: -?\d+ partitionLeaderEpoch: \d+ isTransactional: false isControl: false deleteHorizonMs: OptionalLong.empty position: (\d+) CreateTime: \d+ size: (\d+) magic: 2 compresscodec: none crc: (\d+) isvalid: true$/;

describe('kafka-dump-log on segments the console producer wrote', () => {
  it('prints a batch line per batch that matches the engine (offsets, counts, sizes, CRCs)', async () => {
    const dataDir = tempDir();
    await produceThreeBatches(dataDir);
    const dir = replicaDir(dataDir, 't');
    const log = join(dir, `${SEGMENT}.log`);
    const r = await bin('kafka-dump-log', ['--files', log], dataDir);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines.slice(0, 2)).toEqual([`Dumping ${log}`, 'Log starting offset: 0']);
    const dumped = lines.slice(2).map((l) => {
      const m = BATCH_LINE.exec(l);
      expect(m, l).not.toBeNull();
      return { baseOffset: Number(m![1]), lastOffset: Number(m![2]), count: Number(m![3]), position: Number(m![4]), size: Number(m![5]), crc: Number(m![6]) };
    });
    const engine = engineBatches(dir);
    expect(engine.length).toBeGreaterThanOrEqual(3);
    expect(dumped.map(({ position: _p, ...rest }) => rest)).toEqual(engine);
    // Positions are the running sum of sizes, and the batches cover offsets 0..599 without gaps.
    expect(dumped.map((d) => d.position)).toEqual(engine.map((_, i) => engine.slice(0, i).reduce((s, b) => s + b.size, 0)));
    expect(dumped.at(-1)!.lastOffset).toBe(599);
  });

  it('--print-data-log shows every key and value in order; the indexes check out against the log', async () => {
    const dataDir = tempDir();
    const produced = await produceThreeBatches(dataDir);
    const dir = replicaDir(dataDir, 't');
    const r = await bin('kafka-dump-log', ['--files', join(dir, `${SEGMENT}.log`), '--print-data-log', '--value-decoder-class', 'kafka.serializer.StringDecoder'], dataDir);
    expect(r.code).toBe(0);
    const records = r.stdout.split('\n').filter((l) => l.startsWith('| '));
    expect(records).toHaveLength(600);
    records.forEach((l, i) => {
      const [key, value] = produced[i].split(':');
      expect(l).toMatch(new RegExp(`^\\| offset: ${i} CreateTime: \\d+ keySize: ${key.length} valueSize: ${value.length} sequence: -?\\d+ headerKeys: \\[\\] key: ${key} payload: ${value}$`));
    });

    const positions = new Set([...r.stdout.matchAll(/ position: (\d+) /g)].map((m) => Number(m[1])));
    const idx = await bin('kafka-dump-log', ['--files', `${join(dir, `${SEGMENT}.index`)},${join(dir, `${SEGMENT}.timeindex`)}`], dataDir);
    expect(idx.stderr).toBe('');
    expect(idx.code).toBe(0);
    const entries = [...idx.stdout.matchAll(/^offset: (\d+) position: (\d+)$/gm)];
    expect(entries.length).toBeGreaterThan(0);
    for (const [, , position] of entries) expect(positions.has(Number(position))).toBe(true);
    expect(idx.stdout).toMatch(/^timestamp: \d+ offset: \d+$/m);
    const verify = await bin('kafka-dump-log', ['--files', join(dir, `${SEGMENT}.index`), '--verify-index-only'], dataDir);
    expect(verify).toEqual({ code: 0, stdout: `Dumping ${join(dir, `${SEGMENT}.index`)}\n`, stderr: '' });
    const sanity = await bin('kafka-dump-log', ['--files', join(dir, `${SEGMENT}.timeindex`), '--index-sanity-check'], dataDir);
    expect(sanity.stdout).toBe(`Dumping ${join(dir, `${SEGMENT}.timeindex`)}\n${join(dir, `${SEGMENT}.timeindex`)} passed sanity check.\n`);
  });
});

describe('kafka-dump-log on compressed batches', () => {
  it('names each codec and reads the records inside', async () => {
    const dataDir = tempDir();
    expect((await bin('kafka-topics', ['--create', '--topic', 'z', '--partitions', '1', '--replication-factor', '1'], dataDir)).code).toBe(0);
    const codecs = ['gzip', 'snappy', 'lz4', 'zstd'];
    for (const codec of codecs) {
      expect((await bin('kafka-console-producer', ['--topic', 'z', '--compression-codec', codec], dataDir, `${codec}-1\n${codec}-2\n`)).code).toBe(0);
    }
    const r = await bin('kafka-dump-log', ['--files', join(replicaDir(dataDir, 'z'), `${SEGMENT}.log`), '--print-data-log'], dataDir);
    expect(r.stderr).toBe('');
    expect([...r.stdout.matchAll(/ compresscodec: (\w+) crc: \d+ isvalid: true$/gm)].map((m) => m[1])).toEqual(codecs);
    expect([...r.stdout.matchAll(/ payload: (.*)$/gm)].map((m) => m[1])).toEqual(codecs.flatMap((c) => [`${c}-1`, `${c}-2`]));
  });
});

describe('kafka-dump-log on damaged files', () => {
  it('bad CRC, garbage and a torn tail: isvalid false, one line where and why, Kafka\'s trailing-bytes line, exit 1', async () => {
    const dataDir = tempDir();
    await produceThreeBatches(dataDir);
    const copy = join(tempDir(), `${SEGMENT}.log`);
    copyFileSync(join(replicaDir(dataDir, 't'), `${SEGMENT}.log`), copy);
    const bytes = readFileSync(copy);
    const firstSize = batchSizeAt(bytes, 0);
    bytes[firstSize - 2] ^= 0x55; // inside the first batch's last record
    writeFileSync(copy, bytes);
    appendFileSync(copy, Buffer.alloc(30));
    const r = await bin('kafka-dump-log', ['--files', copy], dataDir);
    expect(r.code).toBe(1);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[2]).toMatch(/ position: 0 .* isvalid: false$/);
    expect(lines.slice(3, -1).every((l) => l.endsWith('isvalid: true'))).toBe(true);
    expect(lines.at(-1)).toBe(`Found 30 invalid bytes at the end of ${SEGMENT}.log`);
    expect(r.stderr).toBe(`Found record size 0 smaller than minimum record overhead (14) at position ${bytes.length} in file ${copy}.\n`);

    // A torn tail alone is what a crash leaves: Kafka's line, exit 0.
    writeFileSync(copy, bytes.subarray(0, firstSize + 100));
    const torn = await bin('kafka-dump-log', ['--files', copy], dataDir);
    expect(torn).toEqual({ code: 0, stdout: expect.stringMatching(/isvalid: false\nFound 100 invalid bytes at the end of 0{20}\.log\n$/), stderr: '' });
  });

  it('a missing file, an unknown suffix and a decoder it lacks: one line each', async () => {
    const dir = tempDir();
    const missing = await bin('kafka-dump-log', ['--files', join(dir, `${SEGMENT}.log`)], dir);
    // Kafka prints the starting offset (from the name) before it opens the file, too.
    expect(missing).toEqual({ code: 1, stdout: `Dumping ${join(dir, `${SEGMENT}.log`)}\nLog starting offset: 0\n`, stderr: `Cannot read ${join(dir, `${SEGMENT}.log`)}: no such file.\n` });
    const misnamed = await bin('kafka-dump-log', ['--files', 'orders.log'], dir);
    expect(misnamed).toEqual({ code: 1, stdout: 'Dumping orders.log\n', stderr: "Cannot dump orders.log: a segment file's name is its base offset (e.g. 00000000000000000000.log).\n" });
    const unknown = await bin('kafka-dump-log', ['--files', 'notes.txt'], dir);
    expect(unknown).toEqual({ code: 0, stdout: 'Dumping notes.txt\n', stderr: 'Ignoring unknown file notes.txt\n' });
    const decoder = await bin('kafka-dump-log', ['--files', 'x.log', '--value-decoder-class', 'com.acme.AvroDecoder'], dir);
    expect(decoder).toEqual({
      code: 1,
      stdout: '',
      stderr: '--value-decoder-class com.acme.AvroDecoder is not available: kafkit decodes keys and values as UTF-8 strings only (org.apache.kafka.tools.api.StringDecoder).\n',
    });
    expect(await bin('kafka-dump-log', ['--print-data-log'], dir)).toEqual({ code: 1, stdout: '', stderr: 'Missing required argument "[files]"\n' });
  });
});
