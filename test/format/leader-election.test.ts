// kafka-leader-election's pure parts against Kafka 4.1's LeaderElectionCommand: its report lines
// (in java.util.HashSet order, checked against a JVM), argument validation and JSON file errors.
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { formatElectionResults, electionFailureText } from '../../src/format/leader-election.js';
import { handler, parseElectionJson, parseElectionType, tool } from '../../src/commands/kafka-leader-election.js';
import { runCommand, type CommandIO } from '../../src/commands/cli.js';
import { ElectionNotNeededError, EligibleLeadersNotAvailableError, PreferredLeaderNotAvailableError, UnknownTopicOrPartitionError } from '../../src/errors.js';

const ok = (topic: string, partition: number) => ({ item: { topic, partition } });

describe('formatElectionResults', () => {
  it('lists elected partitions in java.util.HashSet order, as Kafka prints the set', () => {
    const results = ['orders', 'a', 'payments'].flatMap((t) => [0, 1, 2].map((p) => ok(t, p)));
    // The order a JVM prints for a HashSet of these TopicPartitions.
    expect(formatElectionResults('PREFERRED', results)).toEqual({
      text: 'Successfully completed leader election (PREFERRED) for partitions a-2, a-1, a-0, payments-0, payments-2, payments-1, orders-0, orders-1, orders-2\n',
      failed: 0,
    });
  });

  it('prints elected, then already elected, then one line per failure with the Java exception', () => {
    const r = formatElectionResults('UNCLEAN', [
      { item: { topic: 'orders', partition: 0 }, error: new EligibleLeadersNotAvailableError('Eligible topic partition leaders are not available.') },
      { item: { topic: 'orders', partition: 2 }, error: new ElectionNotNeededError('Leader election not needed for topic partition.') },
      ok('orders', 1),
      { item: { topic: 'nope', partition: 0 }, error: new UnknownTopicOrPartitionError('No such topic as nope') },
    ]);
    expect(r.text).toBe(
      'Successfully completed leader election (UNCLEAN) for partitions orders-1\n' +
        'Valid replica already elected for partitions orders-2\n' +
        'Error completing leader election (UNCLEAN) for partition: nope-0: org.apache.kafka.common.errors.UnknownTopicOrPartitionException: No such topic as nope\n' +
        'Error completing leader election (UNCLEAN) for partition: orders-0: org.apache.kafka.common.errors.EligibleLeadersNotAvailableException: Eligible topic partition leaders are not available.\n',
    );
    expect(r.failed).toBe(2);
    expect(electionFailureText(r.failed)).toBe('2 replica(s) could not be elected');
  });

  it('prints nothing when nothing was asked or needed', () => {
    expect(formatElectionResults('PREFERRED', [])).toEqual({ text: '', failed: 0 });
    const one = formatElectionResults('PREFERRED', [{ item: { topic: 't', partition: 0 }, error: new PreferredLeaderNotAvailableError('The preferred leader was not available.') }]);
    expect(one.text).toBe('Error completing leader election (PREFERRED) for partition: t-0: org.apache.kafka.common.errors.PreferredLeaderNotAvailableException: The preferred leader was not available.\n');
  });
});

describe('election type and JSON file', () => {
  it('takes the election type in any case, as jopt-simple EnumConverter does', () => {
    expect(parseElectionType('preferred')).toBe('PREFERRED');
    expect(parseElectionType('Unclean')).toBe('UNCLEAN');
    expect(() => parseElectionType('clean')).toThrow("Cannot parse argument 'clean' of option election-type");
  });

  it("reads Kafka's {\"partitions\":[{\"topic\",\"partition\"}]} and refuses what Kafka refuses, with its texts", () => {
    expect(parseElectionJson('{"partitions":[{"topic":"t","partition":0},{"topic":"u","partition":3}]}')).toEqual([
      { topic: 't', partition: 0 },
      { topic: 'u', partition: 3 },
    ]);
    expect(parseElectionJson('{"partitions":[]}')).toEqual([]);
    expect(() => parseElectionJson('not json')).toThrow(/^Replica election data is empty$/);
    expect(() => parseElectionJson('{"x":1}')).toThrow(/^Replica election data is missing "partitions" field$/);
    expect(() => parseElectionJson('{"partitions":[{"topic":"t","partition":0},{"topic":"t","partition":0}]}')).toThrow(
      /^Replica election data contains duplicate partitions: \[t-0\]$/,
    );
    expect(() => parseElectionJson('{"partitions":[{"partition":0}]}')).toThrow('com.fasterxml.jackson.databind.JsonMappingException: No such field exists: `topic`');
    expect(() => parseElectionJson('{"partitions":[{"topic":"t","partition":"0"}]}')).toThrow(
      'com.fasterxml.jackson.databind.JsonMappingException: Expected `Integer` value, received "0"',
    );
    expect(() => parseElectionJson('{"partitions":{}}')).toThrow('com.fasterxml.jackson.databind.JsonMappingException: Expected JSON array, received {}');
  });
});

/** Runs the command in-process; argument errors never reach a cluster. */
async function runTool(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const sink = (add: (s: string) => void) => new Writable({ write: (chunk, _enc, done) => (add(String(chunk)), done()) });
  const io: CommandIO = {
    stdout: sink((s) => (stdout += s)),
    stderr: sink((s) => (stderr += s)),
    stdin: process.stdin,
    isTTY: false,
    env: { KAFKIT_DATA_DIR: '/nonexistent/kafkit-never-created' },
  };
  const code = await runCommand(tool, handler, argv, io);
  return { code, stdout, stderr };
}

describe('argument errors (LeaderElectionCommandOptions.validate)', () => {
  const cases: Array<[string[], string]> = [
    [['--all-topic-partitions'], 'Missing required option(s): election-type'],
    [['--election-type', 'PREFERRED'], 'One and only one of the following options is required: topic, all-topic-partitions, path-to-json-file'],
    [['--election-type', 'PREFERRED', '--all-topic-partitions', '--topic', 't'], 'One and only one of the following options is required: topic, all-topic-partitions, path-to-json-file'],
    [['--election-type', 'PREFERRED', '--topic', 't'], 'Missing required option(s): partition'],
    [['--election-type', 'PREFERRED', '--all-topic-partitions', '--partition', '0'], 'Option partition is only allowed if topic is used'],
    [['--election-type', 'dirty', '--all-topic-partitions'], "Cannot parse argument 'dirty' of option election-type"],
    [['--election-type', 'PREFERRED', '--topic', 't', '--partition', 'x'], "Cannot parse argument 'x' of option partition"],
    [['--election-type', 'PREFERRED', '--path-to-json-file', '/nonexistent/e.json'], 'java.nio.file.NoSuchFileException: /nonexistent/e.json'],
    [['--election-type'], 'Option election-type requires an argument'],
    [['--all-topics'], 'all-topics is not a recognized option'],
  ];
  for (const [argv, message] of cases) {
    it(`${argv.join(' ')} -> ${message}`, async () => {
      expect(await runTool(argv)).toEqual({ code: 1, stdout: '', stderr: `${message}\n` });
    });
  }

  it('prints the usage with Kafka\'s description to stderr, exit 1, without arguments', async () => {
    const r = await runTool([]);
    expect(r.code).toBe(1);
    expect(r.stderr.split('\n')[0]).toBe(
      'This tool attempts to elect a new leader for a set of topic partitions. The type of elections supported are preferred replicas and unclean replicas.',
    );
    expect(r.stderr).toContain('--election-type <election type>');
  });
});
