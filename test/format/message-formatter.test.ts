import { describe, expect, it } from 'vitest';
import { formatRecord, formatterConfig, printsValueOnly } from '../../src/format/message-formatter.js';
import type { ConsumerRecord } from '../../src/client/types.js';

const rec: ConsumerRecord = {
  topic: 't', partition: 0, offset: 123, timestamp: 123, timestampType: 'CreateTime',
  key: Buffer.from('key'), value: Buffer.from('value'),
  headers: [{ key: 'h1', value: Buffer.from('v1') }, { key: 'h2', value: Buffer.from('v2') }], leaderEpoch: 58,
};
const text = (props: Record<string, string>, r: ConsumerRecord = rec) => formatRecord(formatterConfig(props), r).toString();

describe("DefaultMessageFormatter (Kafka's test cases)", () => {
  it('prints the value by default', () => expect(text({})).toBe('value\n'));
  it('prints key and value', () => {
    expect(text({ 'print.key': 'true' })).toBe('key\tvalue\n');
    expect(text({ 'print.key': 'true' }, { ...rec, key: null })).toBe('null\tvalue\n');
  });
  it('prints timestamps, partitions, offsets and headers in fixed order', () => {
    expect(text({ 'print.timestamp': 'true' }, { ...rec, timestamp: 1699999999999 })).toBe('CreateTime:1699999999999\tvalue\n');
    expect(text({ 'print.partition': 'true', 'print.key': 'true' })).toBe('Partition:0\tkey\tvalue\n');
    expect(text({ 'print.timestamp': 'true', 'print.partition': 'true', 'print.offset': 'true', 'print.headers': 'true', 'print.key': 'true' }, { ...rec, timestampType: 'NoTimestampType', headers: [] })).toBe(
      'NO_TIMESTAMP\tPartition:0\tOffset:123\tNO_HEADERS\tkey\tvalue\n',
    );
    expect(text({ 'print.timestamp': 'true', 'print.partition': 'true', 'print.offset': 'true', 'print.headers': 'true', 'print.key': 'true', 'print.value': 'false' })).toBe(
      'CreateTime:123\tPartition:0\tOffset:123\th1:v1,h2:v2\tkey\n',
    );
    expect(text({ 'print.epoch': 'true', 'print.delivery': 'true' })).toBe('Delivery:NOT_PRESENT\tEpoch:NOT_PRESENT\tvalue\n');
  });
  it('uses custom separators and the null literal', () => {
    expect(
      text(
        { 'print.timestamp': 'true', 'print.partition': 'true', 'print.offset': 'true', 'print.headers': 'true', 'print.key': 'true', 'key.separator': '<sep>', 'line.separator': '<end>', 'headers.separator': '|', 'null.literal': '<null>' },
        { ...rec, key: Buffer.from('KEY'), value: null },
      ),
    ).toBe('CreateTime:123<sep>Partition:0<sep>Offset:123<sep>h1:v1|h2:v2<sep>KEY<sep><null><end>');
  });
  it('prints nothing when every field is off', () => expect(text({ 'print.value': 'false' })).toBe(''));
});

describe('OutputBuffer and formatInto', () => {
  it('assembles many records in one buffer, growing as needed, byte-exact', async () => {
    const { OutputBuffer, formatInto } = await import('../../src/format/message-formatter.js');
    const out = new OutputBuffer(8);
    const cfg = formatterConfig({ 'print.key': 'true' });
    for (let i = 0; i < 1000; i++) formatInto(cfg, { ...rec, key: Buffer.from(`k${i}`), value: Buffer.from([0xff, i & 0xff]) }, out);
    const bytes = out.take();
    const expected = Buffer.concat(Array.from({ length: 1000 }, (_, i) => Buffer.concat([Buffer.from(`k${i}\t`), Buffer.from([0xff, i & 0xff]), Buffer.from('\n')])));
    expect(bytes.equals(expected)).toBe(true);
    expect(out.length).toBe(0);
  });
  it('drops a half-written record on truncate', async () => {
    const { OutputBuffer } = await import('../../src/format/message-formatter.js');
    const out = new OutputBuffer(4);
    out.ascii('abc');
    const mark = out.length;
    out.utf8('déf');
    out.truncate(mark);
    out.ascii('!');
    expect(out.take().toString()).toBe('abc!');
  });
});

describe('kafkit formatter extras: deserializers and ISO timestamps', () => {
  const long = (n: bigint) => {
    const b = Buffer.alloc(8);
    b.writeBigInt64BE(n);
    return b;
  };
  const LONG = 'org.apache.kafka.common.serialization.LongDeserializer';
  it('prints keys, values and header values through their deserializers; null stays the null literal', () => {
    const r = { ...rec, key: long(7n), value: long(-1n), headers: [{ key: 'n', value: long(3n) }, { key: 'z', value: null }] };
    expect(text({ 'key.deserializer': LONG, 'value.deserializer': LONG, 'headers.deserializer': LONG, 'print.key': 'true', 'print.headers': 'true' }, r)).toBe('n:3,z:null\t7\t-1\n');
    expect(text({ 'value.deserializer': LONG }, { ...rec, value: null })).toBe('null\n');
    expect(text({ 'value.deserializer': 'org.apache.kafka.common.serialization.VoidDeserializer', 'null.literal': '-' }, { ...rec, value: null })).toBe('-\n');
  });
  it('names the field, partition and offset of data a deserializer refuses', () => {
    expect(() => text({ 'value.deserializer': LONG })).toThrow(
      'org.apache.kafka.common.errors.SerializationException: Size of data received by LongDeserializer is not 8 (the value of t-0 at offset 123)',
    );
    // A key that is not printed is not deserialized, as in Kafka.
    expect(text({ 'key.deserializer': LONG })).toBe('value\n');
  });
  it('a value deserializer leaves the fast path', () => {
    expect(printsValueOnly(formatterConfig({ 'value.deserializer': LONG }))).toBe(false);
    expect(printsValueOnly(formatterConfig({ 'key.deserializer': LONG }))).toBe(true);
  });
  it('print.timestamp.format=iso prints the timestamp in ISO-8601 UTC', () => {
    expect(text({ 'print.timestamp': 'true', 'print.timestamp.format': 'iso' }, { ...rec, timestamp: Date.UTC(2026, 11, 4, 16, 21, 23, 123) })).toBe('CreateTime:2026-12-04T16:21:23.123Z\tvalue\n');
    expect(text({ 'print.timestamp': 'true', 'print.timestamp.format': 'iso' }, { ...rec, timestampType: 'LogAppendTime', timestamp: 0 })).toBe('LogAppendTime:1970-01-01T00:00:00.000Z\tvalue\n');
    expect(text({ 'print.timestamp': 'true', 'print.timestamp.format': 'epoch' }, { ...rec, timestamp: 5 })).toBe('CreateTime:5\tvalue\n');
    expect(() => formatterConfig({ 'print.timestamp.format': 'local' })).toThrow("Invalid value local for print.timestamp.format: use 'epoch' (milliseconds, Kafka's) or 'iso' (ISO-8601 in UTC).");
  });
});
