import { describe, expect, it } from 'vitest';
import { OutputBuffer, formatFieldsInto, formatInto, formatterConfig, printsValueOnly } from '../../src/format/message-formatter.js';
import type { ConsumerRecord } from '../../src/client/types.js';

const rec = (value: Buffer | null): ConsumerRecord => ({ topic: 't', partition: 0, offset: 1, timestamp: 5, timestampType: 'CreateTime', key: Buffer.from('k'), value, headers: [], leaderEpoch: 0 });
const VALUES = [Buffer.from('plain'), null, Buffer.alloc(0), Buffer.from([0xff, 0x00, 0x0a]), Buffer.alloc(33, 0x61), Buffer.alloc(5000, 0x62), Buffer.from('naïve ✓')];

describe('formatInto value-only fast path', () => {
  for (const props of [{}, { 'print.value': 'true' }, { 'line.separator': '\r\n', 'null.literal': '<nil>' }, { 'key.separator': '|', 'null.literal': '' }] as Record<string, string>[]) {
    it(`prints what the field-by-field path prints (${JSON.stringify(props)})`, () => {
      const cfg = formatterConfig(props);
      expect(printsValueOnly(cfg)).toBe(true);
      const fast = new OutputBuffer(16);
      const slow = new OutputBuffer(16);
      for (const v of VALUES) {
        formatInto(cfg, rec(v), fast);
        formatFieldsInto(cfg, rec(v), slow);
      }
      expect(fast.take().equals(slow.take())).toBe(true);
    });
  }

  it('is not taken when another field is printed', () => {
    for (const p of ['print.key', 'print.timestamp', 'print.partition', 'print.offset', 'print.headers', 'print.delivery', 'print.epoch']) {
      expect(printsValueOnly(formatterConfig({ [p]: 'true' }))).toBe(false);
    }
    expect(printsValueOnly(formatterConfig({ 'print.value': 'false' }))).toBe(false);
  });
});

describe('OutputBuffer.take', () => {
  it('hands out bytes that later writes never change (the free tail is reused, not what was taken)', () => {
    const out = new OutputBuffer(64);
    const taken: Buffer[] = [];
    for (let i = 0; i < 50; i++) {
      out.ascii(`chunk-${i};`);
      taken.push(out.take());
    }
    expect(taken.map(String)).toEqual(Array.from({ length: 50 }, (_, i) => `chunk-${i};`));
  });
});
