// Compression proven on disk: each codec produced by clients that really compress (our embedded
// producer, our remote producer through kafka-server-start, kafkajs), and the codec read from the
// attributes of every batch stored in the segment file. (Debian's librdkafka 2.0.2, behind kcat,
// sends gzip, snappy and lz4 uncompressed to this server: a round trip through it proves nothing.)
import kafkajs from 'kafkajs';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { registerCodecs } from '../../src/client/remote/codecs.js';
import { batchSizeAt, COMPRESSION_MASK, OFFSET_ATTRIBUTES } from '../../src/engine/record/header.js';
import { bin } from '../helpers.js';
import { serverPerFile } from './server-process.js';

const { Kafka, CompressionTypes, logLevel } = kafkajs;
registerCodecs(kafkajs);

const ctx = serverPerFile();
const CODECS = ['gzip', 'snappy', 'lz4', 'zstd'] as const;
const CODEC_IDS = { none: 0, gzip: 1, snappy: 2, lz4: 3, zstd: 4 };
const LINES = Array.from({ length: 300 }, (_, i) => `order ${i} of a compressible stream of orders`);

/**
 * Every segment file of every replica of `topic`-0. Dirents, not stat: a held append.lock is a
 * symlink to a name that does not exist, so following it throws ENOENT while the server works.
 */
function segments(dir: string, topic: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const name = entry.name;
    const p = join(dir, name);
    if (!entry.isDirectory()) continue;
    if (name === `${topic}-0`) out.push(...readdirSync(p).filter((f) => f.endsWith('.log')).map((f) => join(p, f)));
    else out.push(...segments(p, topic));
  }
  return out;
}

/** The codec names of the batches stored for `topic`-0 (bits 0-2 of the attributes int16 at byte 21), over all its replicas. */
function storedCodecs(topic: string): string[] {
  const names = Object.keys(CODEC_IDS);
  const codecs: string[] = [];
  const files = segments(ctx.dataDir, topic);
  expect(files.length).toBeGreaterThan(0);
  for (const file of files) {
    const log = readFileSync(file);
    for (let pos = 0; pos + 61 <= log.length; pos += batchSizeAt(log, pos)) codecs.push(names[log.readInt16BE(pos + OFFSET_ATTRIBUTES) & COMPRESSION_MASK]);
  }
  return codecs;
}

async function readBack(topic: string): Promise<string[]> {
  const r = await bin('kafka-console-consumer', ['--topic', topic, '--from-beginning', '--max-messages', String(LINES.length)], ctx.dataDir);
  expect(r.code).toBe(0);
  return r.stdout.split('\n').filter(Boolean);
}

let bootstrap: string;
beforeAll(async () => {
  bootstrap = ctx.server.bootstrap;
  for (const producer of ['embedded', 'remote', 'kafkajs']) {
    for (const codec of CODECS) {
      const r = await bin('kafka-topics', ['--create', '--topic', `${producer}-${codec}`, '--partitions', '1', '--replication-factor', '2'], ctx.dataDir);
      expect(r.code).toBe(0);
    }
  }
});

describe.each(CODECS)('%s', (codec) => {
  it('kafka-console-producer (embedded) --compression-codec stores batches in that codec', async () => {
    const topic = `embedded-${codec}`;
    expect((await bin('kafka-console-producer', ['--topic', topic, '--compression-codec', codec], ctx.dataDir, LINES.join('\n') + '\n')).code).toBe(0);
    const codecs = storedCodecs(topic);
    expect(codecs.length).toBeGreaterThan(0);
    expect(new Set(codecs)).toEqual(new Set([codec]));
    expect(await readBack(topic)).toEqual(LINES);
  });

  it('kafka-console-producer --bootstrap-server --compression-codec stores batches in that codec', async () => {
    const topic = `remote-${codec}`;
    const r = await bin('kafka-console-producer', ['--bootstrap-server', bootstrap.split(',')[0], '--topic', topic, '--compression-codec', codec], ctx.dataDir, LINES.join('\n') + '\n');
    expect(r.code, r.stderr).toBe(0);
    expect(new Set(storedCodecs(topic))).toEqual(new Set([codec]));
    expect(await readBack(topic)).toEqual(LINES);
  });

  it('kafkajs with that compression stores batches in that codec', async () => {
    const topic = `kafkajs-${codec}`;
    const kafka = new Kafka({ clientId: 'codec-test', brokers: bootstrap.split(','), logLevel: logLevel.NOTHING, retry: { retries: 3 } });
    const producer = kafka.producer();
    await producer.connect();
    try {
      const compression = { gzip: CompressionTypes.GZIP, snappy: CompressionTypes.Snappy, lz4: CompressionTypes.LZ4, zstd: CompressionTypes.ZSTD }[codec];
      await producer.send({ topic, acks: -1, compression, messages: LINES.map((value) => ({ value })) });
    } finally {
      await producer.disconnect();
    }
    expect(new Set(storedCodecs(topic))).toEqual(new Set([codec]));
    expect(await readBack(topic)).toEqual(LINES);
  });
});
