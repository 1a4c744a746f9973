// Kafka 4.x topic-level configs: names, defaults and ConfigDef-style validation (reference §6).
import { InvalidConfigError } from '../errors.js';
import type { LogConfig } from '../engine/log/config.js';

type Kind = 'long' | 'int' | 'double' | 'boolean' | 'string' | 'list';
interface ConfigDef {
  kind: Kind;
  default: string;
  min?: number;
  max?: number;
  oneOf?: string[];
}

const LONG_MAX = '9223372036854775807';

export const TOPIC_CONFIGS: Record<string, ConfigDef> = {
  'cleanup.policy': { kind: 'list', default: 'delete', oneOf: ['delete', 'compact'] },
  'compression.type': { kind: 'string', default: 'producer', oneOf: ['uncompressed', 'zstd', 'lz4', 'snappy', 'gzip', 'producer'] },
  'compression.gzip.level': { kind: 'int', default: '-1', min: -1, max: 9 },
  'compression.lz4.level': { kind: 'int', default: '9', min: 1, max: 17 },
  'compression.zstd.level': { kind: 'int', default: '3', min: -131072, max: 22 },
  'delete.retention.ms': { kind: 'long', default: '86400000', min: 0 },
  'file.delete.delay.ms': { kind: 'long', default: '60000', min: 0 },
  'flush.messages': { kind: 'long', default: LONG_MAX, min: 1 },
  'flush.ms': { kind: 'long', default: LONG_MAX, min: 0 },
  'follower.replication.throttled.replicas': { kind: 'list', default: '' },
  'leader.replication.throttled.replicas': { kind: 'list', default: '' },
  'index.interval.bytes': { kind: 'int', default: '4096', min: 0 },
  'local.retention.bytes': { kind: 'long', default: '-2', min: -2 },
  'local.retention.ms': { kind: 'long', default: '-2', min: -2 },
  'max.compaction.lag.ms': { kind: 'long', default: LONG_MAX, min: 1 },
  'max.message.bytes': { kind: 'int', default: '1048588', min: 0 },
  'message.timestamp.after.max.ms': { kind: 'long', default: '3600000', min: 0 },
  'message.timestamp.before.max.ms': { kind: 'long', default: LONG_MAX, min: 0 },
  'message.timestamp.type': { kind: 'string', default: 'CreateTime', oneOf: ['CreateTime', 'LogAppendTime'] },
  'min.cleanable.dirty.ratio': { kind: 'double', default: '0.5', min: 0, max: 1 },
  'min.compaction.lag.ms': { kind: 'long', default: '0', min: 0 },
  'min.insync.replicas': { kind: 'int', default: '1', min: 1 },
  preallocate: { kind: 'boolean', default: 'false' },
  'remote.storage.enable': { kind: 'boolean', default: 'false' },
  'remote.log.copy.disable': { kind: 'boolean', default: 'false' },
  'remote.log.delete.on.disable': { kind: 'boolean', default: 'false' },
  'retention.bytes': { kind: 'long', default: '-1' },
  'retention.ms': { kind: 'long', default: '604800000', min: -1 },
  'segment.bytes': { kind: 'int', default: '1073741824', min: 14 },
  'segment.index.bytes': { kind: 'int', default: '10485760', min: 4 },
  'segment.jitter.ms': { kind: 'long', default: '0', min: 0 },
  'segment.ms': { kind: 'long', default: '604800000', min: 1 },
  'unclean.leader.election.enable': { kind: 'boolean', default: 'false' },
};

const TYPE_NAMES: Record<Kind, string> = { long: 'LONG', int: 'INT', double: 'DOUBLE', boolean: 'BOOLEAN', string: 'STRING', list: 'LIST' };

/** Checks one config as Kafka's ConfigDef does; throws InvalidConfigError with Kafka's text. */
export function validateTopicConfig(name: string, value: string): void {
  const def = TOPIC_CONFIGS[name];
  if (!def) throw new InvalidConfigError(`Unknown topic config name: ${name}`);
  const bad = (why: string) => new InvalidConfigError(`Invalid value ${value} for configuration ${name}: ${why}`);
  const v = value.trim();
  switch (def.kind) {
    case 'long':
    case 'int': {
      if (!/^[+-]?\d+$/.test(v)) throw bad(`Not a number of type ${TYPE_NAMES[def.kind]}`);
      const n = BigInt(v);
      const limit = def.kind === 'int' ? 2n ** 31n : 2n ** 63n;
      if (n >= limit || n < -limit) throw bad(`Not a number of type ${TYPE_NAMES[def.kind]}`);
      if (def.min !== undefined && n < BigInt(def.min)) throw bad(`Value must be at least ${def.min}`);
      if (def.max !== undefined && n > BigInt(def.max)) throw bad(`Value must be no more than ${def.max}`);
      return;
    }
    case 'double': {
      const n = Number(v);
      if (v === '' || !Number.isFinite(n)) throw bad('Not a number of type DOUBLE');
      if (def.min !== undefined && n < def.min) throw bad(`Value must be at least ${def.min}`);
      if (def.max !== undefined && n > def.max) throw bad(`Value must be no more than ${def.max}`);
      return;
    }
    case 'boolean':
      if (!/^(true|false)$/i.test(v)) throw bad('Expected value to be either true or false');
      return;
    case 'string':
      if (def.oneOf && !def.oneOf.includes(v)) throw bad(`String must be one of: ${def.oneOf.join(', ')}`);
      return;
    case 'list':
      if (def.oneOf) {
        for (const item of v.split(',').map((s) => s.trim())) {
          if (!def.oneOf.includes(item)) throw bad(`Invalid value ${item} for configuration ${name}: String must be one of: ${def.oneOf.join(', ')}`);
        }
      }
      return;
  }
}

export function validateTopicConfigs(configs: Record<string, string>): void {
  for (const [name, value] of Object.entries(configs)) validateTopicConfig(name, value);
  const min = configs['min.compaction.lag.ms'];
  const max = configs['max.compaction.lag.ms'];
  if (min !== undefined && max !== undefined && BigInt(min) > BigInt(max)) {
    throw new InvalidConfigError(`conflict topic config setting min.compaction.lag.ms (${min}) > max.compaction.lag.ms (${max})`);
  }
}

/** Broker settings that are the default of a topic config, as in Kafka (log.flush.interval.messages -> flush.messages). */
export const BROKER_TOPIC_DEFAULTS: Record<string, string> = {
  'log.flush.interval.messages': 'flush.messages',
  'log.flush.interval.ms': 'flush.ms',
  'unclean.leader.election.enable': 'unclean.leader.election.enable',
  'min.insync.replicas': 'min.insync.replicas',
};

/**
 * Every topic config with its effective value: Kafka's defaults, then the cluster's own defaults
 * (`settings`, e.g. log.flush.interval.messages=1 to fsync every append before acknowledging it),
 * then the topic's overrides.
 */
export function effectiveTopicConfig(overrides: Record<string, string>, settings: Record<string, string> = {}): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, def] of Object.entries(TOPIC_CONFIGS)) out[name] = overrides[name] ?? def.default;
  for (const [setting, name] of Object.entries(BROKER_TOPIC_DEFAULTS)) {
    if (overrides[name] === undefined && settings[setting] !== undefined) out[name] = settings[setting];
  }
  return out;
}

const num = (s: string) => {
  const n = Number(s);
  return n > Number.MAX_SAFE_INTEGER ? Number.MAX_SAFE_INTEGER : n;
};

export function toLogConfig(effective: Record<string, string>): LogConfig {
  return {
    segmentBytes: num(effective['segment.bytes']),
    segmentMs: num(effective['segment.ms']),
    segmentIndexBytes: num(effective['segment.index.bytes']),
    indexIntervalBytes: num(effective['index.interval.bytes']),
    retentionMs: num(effective['retention.ms']),
    retentionBytes: num(effective['retention.bytes']),
    maxMessageBytes: num(effective['max.message.bytes']),
    messageTimestampType: effective['message.timestamp.type'] === 'LogAppendTime' ? 'LogAppendTime' : 'CreateTime',
    flushMessages: num(effective['flush.messages']),
    flushMs: num(effective['flush.ms']),
  };
}
