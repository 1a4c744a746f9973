// The pure formatters and parsers behind kafka-configs, kafka-broker-api-versions and kafka-log-dirs,
// against texts from Kafka 4.1's ConfigCommand, NodeApiVersions, Node and LogDirsCommand.
import { describe, expect, it } from 'vitest';
import { formatAlterDone, formatConfigLine, formatConfigsHeading, formatNoSuchEntity } from '../../src/format/configs.js';
import { formatApiVersions, formatBrokerApiVersions, formatNode } from '../../src/format/api-versions.js';
import { formatLogDirsJson, javaHashMapOrder, topicPartitionHash } from '../../src/format/log-dirs.js';
import { describeBrokerEntity, describeTopicEntity, dynamicBrokerDefaults } from '../../src/config/entity-configs.js';
import { DEFAULT_SETTINGS } from '../../src/engine/cluster/cluster.js';
import { parseAddConfig, validate } from '../../src/commands/kafka-configs.js';
import { parseBrokerList } from '../../src/commands/kafka-log-dirs.js';

describe('kafka-configs text', () => {
  it('headings, config lines and the alter confirmation are Kafka 4.1 strings', () => {
    expect(formatConfigsHeading('topics', 'orders', false)).toBe('Dynamic configs for topic orders are:\n');
    expect(formatConfigsHeading('topics', 'orders', true)).toBe('All configs for topic orders are:\n');
    expect(formatConfigsHeading('brokers', '1', false)).toBe('Dynamic configs for broker 1 are:\n');
    expect(formatConfigsHeading('brokers', '', false)).toBe('Default configs for brokers in the cluster are:\n');
    expect(formatNoSuchEntity('topics', 'nope')).toBe("The topic 'nope' doesn't exist and doesn't have dynamic config.\n");
    expect(formatAlterDone('topics', 'orders')).toBe('Completed updating config for topic orders.\n');
    expect(formatAlterDone('brokers', '')).toBe('Completed updating default config for brokers in the cluster.\n');
    expect(
      formatConfigLine({
        name: 'retention.ms',
        value: '1000',
        source: 'DYNAMIC_TOPIC_CONFIG',
        isSensitive: false,
        synonyms: [
          { name: 'retention.ms', value: '1000', source: 'DYNAMIC_TOPIC_CONFIG' },
          { name: 'log.retention.hours', value: '168', source: 'DEFAULT_CONFIG' },
        ],
      }),
    ).toBe('  retention.ms=1000 sensitive=false synonyms={DYNAMIC_TOPIC_CONFIG:retention.ms=1000, DEFAULT_CONFIG:log.retention.hours=168}\n');
  });

  it('topic configs carry the broker synonyms, most specific first; a changed cluster default is a dynamic default', () => {
    const settings = { ...DEFAULT_SETTINGS, 'log.flush.interval.messages': '1' };
    expect(dynamicBrokerDefaults(settings)).toEqual({ 'log.flush.interval.messages': '1' });
    const byName = new Map(describeTopicEntity({ 'cleanup.policy': 'compact' }, settings).map((e) => [e.name, e]));
    expect(formatConfigLine(byName.get('cleanup.policy')!)).toBe('  cleanup.policy=compact sensitive=false synonyms={DYNAMIC_TOPIC_CONFIG:cleanup.policy=compact, DEFAULT_CONFIG:log.cleanup.policy=delete}\n');
    expect(formatConfigLine(byName.get('flush.messages')!)).toBe(
      '  flush.messages=1 sensitive=false synonyms={DYNAMIC_DEFAULT_BROKER_CONFIG:log.flush.interval.messages=1, DEFAULT_CONFIG:log.flush.interval.messages=9223372036854775807}\n',
    );
    expect(byName.get('flush.messages')!.source).toBe('DYNAMIC_DEFAULT_BROKER_CONFIG');
    expect(byName.get('retention.ms')).toMatchObject({ value: '604800000', source: 'DEFAULT_CONFIG' });
  });

  it('a broker shows its own value before the cluster default; the default entity never shows a per-broker value', () => {
    const one = describeBrokerEntity('1', { 'num.partitions': '5' }, { ...DEFAULT_SETTINGS, 'num.partitions': '3' }).find((e) => e.name === 'num.partitions')!;
    expect(formatConfigLine(one)).toBe('  num.partitions=5 sensitive=false synonyms={DYNAMIC_BROKER_CONFIG:num.partitions=5, DYNAMIC_DEFAULT_BROKER_CONFIG:num.partitions=3, DEFAULT_CONFIG:num.partitions=1}\n');
    const dflt = describeBrokerEntity('', { 'num.partitions': '5' }, { ...DEFAULT_SETTINGS, 'num.partitions': '3' }).find((e) => e.name === 'num.partitions')!;
    expect(dflt).toMatchObject({ value: '3', source: 'DYNAMIC_DEFAULT_BROKER_CONFIG' });
  });

  it('--add-config splits at commas outside brackets and drops the brackets, as Kafka does', () => {
    expect(parseAddConfig('retention.ms=1000, cleanup.policy=[delete,compact] ,k=')).toEqual({ 'retention.ms': '1000', 'cleanup.policy': 'delete,compact', k: '' });
    expect(() => parseAddConfig('a=1,b')).toThrow('Invalid entity config: all configs to be added must be in the format "key=val" or  "key=[val1,val2]" to group values which contain commas.');
  });

  it("validates in Kafka's order with Kafka's messages", () => {
    const msg = (args: Record<string, unknown>) => {
      try {
        validate(args as never);
        return 'ok';
      } catch (err) {
        return (err as Error).message;
      }
    };
    expect(msg({ topic: 'a' })).toBe('Command must include exactly one action: --describe, --alter');
    expect(msg({ describe: true, 'entity-type': ['topic'] })).toBe(
      'Invalid entity type topic, the entity type must be one of broker-loggers, topics, clients, users, brokers, ips, client-metrics, groups with a --bootstrap-server or --bootstrap-controller argument',
    );
    expect(msg({ describe: true })).toBe('At least one entity type must be specified');
    expect(msg({ describe: true, 'entity-type': ['topics', 'topics'] })).toBe('Duplicate entity type(s) specified: topics');
    expect(msg({ describe: true, 'entity-type': ['topics', 'brokers'] })).toBe("Only 'users' and 'clients' entity types may be specified together");
    expect(msg({ describe: true, 'entity-type': ['topics'], topic: 'a' })).toBe('Duplicate entity type(s) specified: topics');
    expect(msg({ describe: true, 'entity-name': ['a'], topic: 'a' })).toBe('--entity-{type,name,default} should not be used in conjunction with specific entity flags');
    expect(msg({ describe: true, broker: 'x' })).toBe('The entity name for brokers must be a valid integer broker id, but it is: x');
    expect(msg({ describe: true, 'entity-type': ['topics'], 'entity-default': true })).toBe('--entity-default must not be specified with --describe of topics');
    expect(msg({ alter: true, 'entity-type': ['topics'], 'add-config': 'a=1' })).toBe('An entity name must be specified with --alter of topics');
    expect(msg({ alter: true, 'entity-type': ['brokers'], 'add-config': 'a=1' })).toBe('An entity-name or default entity must be specified with --alter of users, clients, brokers or ips');
    expect(msg({ alter: true, topic: 'a' })).toBe('At least one of --add-config, --add-config-file, or --delete-config must be specified with --alter');
    expect(msg({ alter: true, topic: 'a', 'add-config': 'a=1', 'add-config-file': 'f' })).toBe('Only one of --add-config or --add-config-file must be specified');
    expect(msg({ describe: true, topic: 'a', 'add-config': 'a=1' })).toBe('Option "[describe]" can\'t be used with option "[add-config]"');
    expect(msg({ describe: true, 'broker-defaults': true })).toBe('ok');
  });
});

describe('kafka-broker-api-versions text', () => {
  it("prints Kafka's Node line, every client API in key order, usable versions and UNSUPPORTED ones", () => {
    expect(formatNode({ id: 1, host: '127.0.0.1', port: 9092, rack: null })).toBe('127.0.0.1:9092 (id: 1 rack: null isFenced: false)');
    const text = formatApiVersions([
      { apiKey: 18, minVersion: 0, maxVersion: 3 },
      { apiKey: 0, minVersion: 0, maxVersion: 11 },
      { apiKey: 1, minVersion: 0, maxVersion: 3 },
      { apiKey: 46, minVersion: 0, maxVersion: 0 },
      { apiKey: 3, minVersion: 20, maxVersion: 21 },
      { apiKey: 999, minVersion: 0, maxVersion: 1 },
    ]);
    const lines = text.split('\n');
    expect(lines[0]).toBe('(');
    expect(lines[1]).toBe('\tProduce(0): 0 to 11 [usable: 11],');
    expect(lines[2]).toBe('\tFetch(1): 0 to 3 [unusable: node too old],');
    expect(lines[3]).toBe('\tListOffsets(2): UNSUPPORTED,');
    expect(lines[4]).toBe('\tMetadata(3): 20 to 21 [unusable: node too new],');
    expect(text).toContain('\tApiVersions(18): 0 to 3 [usable: 3],\n');
    expect(text).toContain('\tListPartitionReassignments(46): 0 [usable: 0],\n');
    expect(lines.at(-2)).toBe('\tUNKNOWN(999): 0 to 1');
    expect(lines.at(-1)).toBe(')');
    expect(formatBrokerApiVersions({ broker: { id: 2, host: 'h', port: 1, rack: 'r1' }, error: 'boom' })).toBe('h:1 (id: 2 rack: r1 isFenced: false) -> ERROR: boom\n');
  });
});

describe('kafka-log-dirs JSON', () => {
  it("keeps Jackson's HashMap key order and Kafka's field names", () => {
    const json = formatLogDirsJson(
      [{ broker: 1, logDirs: [{ path: '/d/broker-1', error: null, replicas: [{ topic: 'orders', partition: 0, size: 123, offsetLag: 0, isFuture: false }] }] }],
      new Set(),
    );
    expect(json).toBe('{"brokers":[{"broker":1,"logDirs":[{"partitions":[{"partition":"orders-0","size":123,"offsetLag":0,"isFuture":false}],"error":null,"logDir":"/d/broker-1"}]}],"version":1}');
    expect(JSON.parse(json)).toBeTruthy();
  });

  it('filters by --topic-list and orders partitions as a Java HashMap of TopicPartition does', () => {
    // Java: new TopicPartition("a", 0).hashCode() == 31 * 31 + "a".hashCode() == 961 + 97
    expect(topicPartitionHash('a', 0)).toBe(1058);
    expect(javaHashMapOrder([17, 1, 33, 2], (x) => x)).toEqual([17, 1, 33, 2]);
    expect(javaHashMapOrder([3, 1, 2], (x) => x)).toEqual([1, 2, 3]);
    const replicas = [0, 1, 2].map((p) => ({ topic: 't', partition: p, size: 0, offsetLag: 0, isFuture: false }));
    const json = formatLogDirsJson([{ broker: 1, logDirs: [{ path: '/d', error: null, replicas: [...replicas, { ...replicas[0], topic: 'other' }] }] }], new Set(['t']));
    expect(json).not.toContain('other-0');
    expect(json.match(/t-\d/g)).toEqual(javaHashMapOrder(['t-0', 't-1', 't-2'], (s) => topicPartitionHash('t', Number(s.slice(2)))));
  });

  it('--broker-list is a set of integers', () => {
    expect(parseBrokerList('1,2,,1')).toEqual([1, 2]);
    expect(() => parseBrokerList('1,x')).toThrow('For input string: "x"');
  });
});
