// kafka-delete-records: the offset JSON as Kafka's DeleteRecordsCommand reads it, and its output lines.
import { describe, expect, it } from 'vitest';
import { OffsetOutOfRangeError, UnknownServerError } from '../../src/errors.js';
import { formatDeleteResults } from '../../src/format/delete-records.js';
import { parseOffsetJson } from '../../src/input/offset-json.js';

describe('--offset-json-file', () => {
  it('reads partitions with or without a version', () => {
    expect(parseOffsetJson('{"partitions":[{"topic":"foo","partition":1,"offset":5}],"version":1}')).toEqual([{ topic: 'foo', partition: 1, offset: 5 }]);
    expect(parseOffsetJson('{"partitions":[{"topic":"foo","partition":0,"offset":-1}]}')).toEqual([{ topic: 'foo', partition: 0, offset: -1 }]);
  });

  it("refuses what Kafka refuses, with Kafka's texts", () => {
    expect(() => parseOffsetJson('{oops')).toThrow('The input string is not a valid JSON');
    expect(() => parseOffsetJson('{"version":1}')).toThrow('Missing partitions field');
    expect(() => parseOffsetJson('{"partitions":[],"version":2}')).toThrow('Not supported version field value 2');
    expect(() => parseOffsetJson('{"partitions":[{"topic":"a","offset":1}]}')).toThrow('No such field exists: `partition`');
    expect(() => parseOffsetJson('{"partitions":[{"topic":"a","partition":0,"offset":1},{"topic":"a","partition":0,"offset":2}]}')).toThrow(
      'Offset json file contains duplicate topic partitions: a-0',
    );
  });
});

describe('kafka-delete-records lines', () => {
  it('low watermarks and errors, TAB-separated, sorted by partition', () => {
    const out = formatDeleteResults([
      { item: { topic: 't', partition: 1, lowWatermark: -1 }, error: new OffsetOutOfRangeError('beyond the high watermark') },
      { item: { topic: 't', partition: 0, lowWatermark: 4 } },
      { item: { topic: 't', partition: 2, lowWatermark: -1 }, error: new UnknownServerError('disk on fire') },
    ]);
    expect(out).toBe(
      'partition: t-0\tlow_watermark: 4\n' +
        'partition: t-1\terror: org.apache.kafka.common.errors.OffsetOutOfRangeException: The requested offset is not within the range of offsets maintained by the server.\n' +
        'partition: t-2\terror: disk on fire\n',
    );
  });
});
