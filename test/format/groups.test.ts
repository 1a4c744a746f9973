// Pure pieces of kafka-consumer-groups: assignment text, Java error text, delete reports, and the
// reset-offsets parsers (dates, durations, topic args, CSV).
import { describe, expect, it } from 'vitest';
import { parseResetCsv, formatResetCsv } from '../../src/commands/reset-offsets/csv.js';
import { parseIsoDuration, parseKafkaDateTime } from '../../src/commands/reset-offsets/datetime.js';
import { parseTopicArg } from '../../src/commands/reset-offsets/topic-arg.js';
import { UnknownServerError, GroupSubscribedToTopicError, NonEmptyGroupError, UsageError } from '../../src/errors.js';
import { deleteOffsetsVerdict, formatAssignment, formatDeleteGroups, formatDeleteOffsetsTable, formatResetTable, javaErrorText } from '../../src/format/groups.js';

describe('group formatters', () => {
  it('formatAssignment sorts topics and partitions numerically, - when empty', () => {
    const tps = [['b', 10], ['a', 2], ['b', 9], ['a', 0]].map(([topic, partition]) => ({ topic: topic as string, partition: partition as number }));
    expect(formatAssignment(tps)).toBe('a:0,2;b:9,10');
    expect(formatAssignment([])).toBe('-');
  });

  it('javaErrorText uses the Java class and Kafka\'s default message', () => {
    expect(javaErrorText(new NonEmptyGroupError('backend text'))).toBe('org.apache.kafka.common.errors.GroupNotEmptyException: The group is not empty.');
    expect(javaErrorText(new UnknownServerError('boom'))).toBe('org.apache.kafka.common.errors.UnknownServerException: boom');
  });

  it('formatDeleteGroups: all deleted', () => {
    expect(formatDeleteGroups([{ group: 'a' }, { group: 'b' }])).toEqual({ out: "Deletion of requested consumer groups ('a', 'b') was successful.\n", err: '' });
    expect(formatDeleteGroups([]).out).toBe('Deletion of requested consumer groups () was successful.\n');
  });

  it('formatDeleteOffsetsTable sorts on the text topic+partition, as Kafka does (t10 < t15 < t2)', () => {
    const rows = [
      { topic: 't', partition: 10 },
      { topic: 't', partition: 2 },
      { topic: 't1', partition: 5, error: new GroupSubscribedToTopicError('x') },
    ];
    expect(formatDeleteOffsetsTable(rows)).toBe(
      '\nTOPIC           PARTITION  STATUS         ' +
        '\nt               10         Successful     ' +
        '\nt1              5          Error: org.apache.kafka.common.errors.GroupSubscribedToTopicException: Deleting offsets of a topic is forbidden while the consumer group is actively subscribed to it.' +
        '\nt               2          Successful     ' +
        '\n',
    );
  });

  it('deleteOffsetsVerdict picks Kafka 4.1\'s first line from the top-level error', () => {
    expect(deleteOffsetsVerdict('g', undefined)).toEqual({ error: false, message: 'Request succeeded for deleting offsets from group g.' });
    expect(deleteOffsetsVerdict('g', new NonEmptyGroupError('x'))).toEqual({ error: true, message: 'The group is not empty.' });
    expect(deleteOffsetsVerdict('g', new GroupSubscribedToTopicError('x'))).toEqual({ error: true, message: 'Encountered some partition-level error, see the follow-up details.' });
    expect(deleteOffsetsVerdict('g', new UnknownServerError('x'))).toEqual({ error: true, message: 'Encountered some unknown error: UNKNOWN_SERVER_ERROR' });
  });

  it('formatResetTable keeps the trailing padding and always ends with a newline', () => {
    expect(formatResetTable([], false)).toBe('\n');
    expect(formatResetTable([{ group: 'g', topic: 't', partition: 0, offset: 0 }], true)).toBe(
      '\nGROUP                          TOPIC                          PARTITION  NEW-OFFSET     \ng                              t                              0          0              \n',
    );
  });
});

describe('reset-offsets parsers', () => {
  it('parseKafkaDateTime accepts Kafka\'s formats; no zone is UTC; milliseconds are a number', () => {
    expect(parseKafkaDateTime('2021-03-04T05:06:07.089')).toBe(Date.UTC(2021, 2, 4, 5, 6, 7, 89));
    expect(parseKafkaDateTime('2021-03-04T05:06:07.089Z')).toBe(Date.UTC(2021, 2, 4, 5, 6, 7, 89));
    expect(parseKafkaDateTime('2021-03-04T05:06:07.089+02:00')).toBe(Date.UTC(2021, 2, 4, 3, 6, 7, 89));
    expect(parseKafkaDateTime('2021-03-04T05:06:07.089-0130')).toBe(Date.UTC(2021, 2, 4, 6, 36, 7, 89));
    expect(parseKafkaDateTime('2021-03-04T05:06:07.5+02')).toBe(Date.UTC(2021, 2, 4, 3, 6, 7, 5));
    expect(() => parseKafkaDateTime('2021-02-29T00:00:00.000')).toThrow('java.text.ParseException: Unparseable date: "2021-02-29T00:00:00.000Z"');
    expect(parseKafkaDateTime('2020-02-29T00:00:00.000')).toBe(Date.UTC(2020, 1, 29));
  });

  it('parseIsoDuration follows java.time.Duration.parse', () => {
    expect(parseIsoDuration('PT15M')).toBe(15 * 60_000);
    expect(parseIsoDuration('P1DT2H')).toBe(26 * 3_600_000);
    expect(parseIsoDuration('pt1.5s')).toBe(1500);
    expect(parseIsoDuration('-PT1M')).toBe(-60_000);
    expect(parseIsoDuration('PT-1M30S')).toBe(-30_000);
    for (const bad of ['P', 'PT', 'P1D T1H', '15m', 'P1W']) expect(() => parseIsoDuration(bad), bad).toThrow('Text cannot be parsed to a Duration');
  });

  it('parseTopicArg splits like Java', () => {
    expect(parseTopicArg('t')).toEqual({ topic: 't', partitions: null });
    expect(parseTopicArg('t:0,2,')).toEqual({ topic: 't', partitions: [0, 2] });
    expect(parseTopicArg('t:+1')).toEqual({ topic: 't', partitions: [1] });
    expect(() => parseTopicArg('t:0,,1')).toThrow(new UsageError("Invalid partition '' specified in topic arg 't:0,,1''"));
    expect(() => parseTopicArg('t:99999999999')).toThrow(UsageError);
  });

  it('reset CSV: short form for one group, group form otherwise, quoting round-trips', () => {
    const rows = [{ group: 'g,1', topic: 't', partition: 0, offset: 5 }];
    expect(formatResetCsv(rows, true)).toBe('"g,1",t,0,5\n\n');
    expect(parseResetCsv(formatResetCsv(rows, true), undefined, 'f')).toEqual(new Map([['g,1', [{ topic: 't', partition: 0, offset: 5 }]]]));
    expect(parseResetCsv('t,0,5\r\nt,1,6\n', 'g', 'f')).toEqual(new Map([['g', [{ topic: 't', partition: 0, offset: 5 }, { topic: 't', partition: 1, offset: 6 }]]]));
    // Two groups given: the short form is not accepted.
    expect(() => parseResetCsv('t,0,5\n', undefined, 'f')).toThrow("Invalid line 1 in reset plan f: 't,0,5'; expected group,topic,partition,offset.");
  });
});
