// The console producer's block path (plain line reader, piped stdin, a producer with sendValues)
// must send exactly the records the line-by-line path sends.
import { afterEach, describe, expect, it } from 'vitest';
import * as producer from '../../src/commands/kafka-console-producer.js';
import type { KafkaClient, ProducerRecord } from '../../src/client/types.js';
import { createEmbeddedClient } from '../../src/client/embedded/client.js';
import { cleanTempDirs, tempDir } from '../helpers.js';
import { fakeClient, runWith } from './kafka-console-fake.js';

afterEach(cleanTempDirs);

/** The fake client, plus sendValues that logs each value as send() would; `blocks` counts its calls. */
function withSendValues(): { client: KafkaClient; sent: ProducerRecord[]; blocks: () => number } {
  const { client, state } = fakeClient();
  let blocks = 0;
  return {
    sent: state.sent,
    blocks: () => blocks,
    client: {
      ...client,
      async producer(options) {
        const p = await client.producer(options);
        p.sendValues = (topic, data, starts, ends, count) => {
          blocks++;
          for (let i = 0; i < count; i++) p.send({ topic, key: null, value: starts[i] < 0 ? null : Buffer.from(data.subarray(starts[i], ends[i])), headers: undefined });
          return undefined;
        };
        return p;
      },
    },
  };
}

const INPUTS: Array<{ name: string; stdin: Array<string | Buffer> }> = [
  { name: 'lines over chunk ends, \\r\\n and \\r', stdin: ['one\ntw', 'o\r\nthree\r', '\nfour\rfive', '', 'six'] },
  { name: 'empty lines and a line spanning three chunks', stdin: ['\n\na', 'bbbb', 'cc\n\n'] },
  { name: 'invalid UTF-8 inside a chunk and in a spanning line', stdin: [Buffer.from([0x61, 0xff, 0x0a, 0xe2, 0x82]), Buffer.from([0xac, 0x0a, 0x62, 0xc3]), Buffer.from([0x28, 0x0a])] },
  { name: 'null markers', stdin: ['NULL\nx\nNUL', 'L\nNULLX\n\nNULL'] },
];

describe('kafka-console-producer block path', () => {
  for (const { name, stdin } of INPUTS) {
    it(`sends what the line path sends: ${name}`, async () => {
      const argv = ['--topic', 't', '--property', 'null.marker=NULL'];
      const slow = fakeClient();
      expect((await runWith(producer, slow.client, argv, { stdin })).code).toBe(0);
      const fast = withSendValues();
      expect((await runWith(producer, fast.client, argv, { stdin })).code).toBe(0);
      expect(fast.blocks()).toBeGreaterThan(0);
      const view = (sent: ProducerRecord[]) => sent.map((r) => [r.topic, r.key, r.value === null ? null : r.value.toString('hex')]);
      expect(view(fast.sent)).toEqual(view(slow.state.sent));
    });
  }

  it('is not taken with parse.key, --sync or on a terminal', async () => {
    for (const extra of [['--property', 'parse.key=true'], ['--sync'], []]) {
      const fast = withSendValues();
      await runWith(producer, fast.client, ['--topic', 't', '--property', 'ignore.error=true', ...extra], { stdin: 'a\tb\n', isTTY: extra.length === 0 });
      expect(fast.blocks()).toBe(0);
      expect(fast.sent.length).toBe(1);
    }
  });

  it('stores every line through the embedded backend', async () => {
    const dataDir = tempDir();
    const lines = Array.from({ length: 20000 }, (_, i) => (i % 1000 === 3 ? 'NULL' : `line ${i}`));
    const text = lines.join('\n') + '\n';
    const chunks = Array.from({ length: Math.ceil(text.length / 7777) }, (_, i) => text.slice(i * 7777, (i + 1) * 7777));
    const client = createEmbeddedClient({ dataDir });
    expect((await runWith(producer, client, ['--topic', 'big', '--property', 'null.marker=NULL'], { stdin: chunks })).code).toBe(0);
    await client.close();
    const reader = createEmbeddedClient({ dataDir });
    const consumer = await reader.consumer({ clientId: 'c', autoCommit: false, autoOffsetReset: 'earliest', isolationLevel: 'read_uncommitted', assignmentStrategy: 'range', sessionTimeoutMs: 45000, heartbeatIntervalMs: 3000, properties: {} });
    await consumer.assign([{ topic: 'big', partition: 0 }]);
    const got: Array<string | null> = [];
    for (;;) {
      const records = await consumer.poll(0);
      if (records.length === 0) break;
      for (const r of records) got.push(r.value === null ? null : r.value.toString());
    }
    await reader.close();
    expect(got).toEqual(lines.map((l) => (l === 'NULL' ? null : l)));
  });
});
