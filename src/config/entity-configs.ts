// What DescribeConfigs reports for a topic, a broker or a group of the local cluster: every
// config with its value, its source and its synonyms, as Kafka 4.1's ConfigHelper builds them.
import type { ConfigSource, ConfigSynonym, DescribedConfig } from '../client/types.js';
import { InvalidConfigError } from '../errors.js';
import { TOPIC_CONFIGS, effectiveTopicConfig, validateTopicConfig } from './topic-configs.js';
import { DEFAULT_SETTINGS } from '../engine/cluster/cluster.js';

const LONG_MAX = '9223372036854775807';

/**
 * Kafka's ServerTopicConfigSynonyms: the broker configs that default each topic config, most
 * specific first, with the broker default (null: the broker config has no default).
 */
export const TOPIC_BROKER_SYNONYMS: Record<string, Array<[string, string | null]>> = {
  'segment.bytes': [['log.segment.bytes', '1073741824']],
  'segment.ms': [['log.roll.ms', null], ['log.roll.hours', '168']],
  'segment.jitter.ms': [['log.roll.jitter.ms', null], ['log.roll.jitter.hours', '0']],
  'segment.index.bytes': [['log.index.size.max.bytes', '10485760']],
  'flush.messages': [['log.flush.interval.messages', LONG_MAX]],
  'flush.ms': [['log.flush.interval.ms', null], ['log.flush.scheduler.interval.ms', LONG_MAX]],
  'retention.bytes': [['log.retention.bytes', '-1']],
  'retention.ms': [['log.retention.ms', null], ['log.retention.minutes', null], ['log.retention.hours', '168']],
  'max.message.bytes': [['message.max.bytes', '1048588']],
  'index.interval.bytes': [['log.index.interval.bytes', '4096']],
  'delete.retention.ms': [['log.cleaner.delete.retention.ms', '86400000']],
  'min.compaction.lag.ms': [['log.cleaner.min.compaction.lag.ms', '0']],
  'max.compaction.lag.ms': [['log.cleaner.max.compaction.lag.ms', LONG_MAX]],
  'file.delete.delay.ms': [['log.segment.delete.delay.ms', '60000']],
  'min.cleanable.dirty.ratio': [['log.cleaner.min.cleanable.ratio', '0.5']],
  'cleanup.policy': [['log.cleanup.policy', 'delete']],
  'unclean.leader.election.enable': [['unclean.leader.election.enable', 'false']],
  'min.insync.replicas': [['min.insync.replicas', '1']],
  'compression.type': [['compression.type', 'producer']],
  'compression.gzip.level': [['compression.gzip.level', '-1']],
  'compression.lz4.level': [['compression.lz4.level', '9']],
  'compression.zstd.level': [['compression.zstd.level', '3']],
  preallocate: [['log.preallocate', 'false']],
  'message.timestamp.type': [['log.message.timestamp.type', 'CreateTime']],
  'message.timestamp.before.max.ms': [['log.message.timestamp.before.max.ms', LONG_MAX]],
  'message.timestamp.after.max.ms': [['log.message.timestamp.after.max.ms', '3600000']],
  'local.retention.ms': [['log.local.retention.ms', '-2']],
  'local.retention.bytes': [['log.local.retention.bytes', '-2']],
};

/** The defaults of the broker settings kafkit's engine reads: what a new data dir's cluster.json holds. */
export const BROKER_DEFAULTS: Record<string, string> = DEFAULT_SETTINGS;

/** Kafka 4.1's GroupConfig names and defaults. */
export const GROUP_CONFIGS: Record<string, string> = {
  'consumer.heartbeat.interval.ms': '5000',
  'consumer.session.timeout.ms': '45000',
  'share.auto.offset.reset': 'latest',
  'share.heartbeat.interval.ms': '5000',
  'share.isolation.level': 'read_uncommitted',
  'share.record.lock.duration.ms': '30000',
  'share.session.timeout.ms': '45000',
  'streams.heartbeat.interval.ms': '5000',
  'streams.initial.rebalance.delay.ms': '3000',
  'streams.num.standby.replicas': '0',
  'streams.session.timeout.ms': '45000',
};

/** Every broker config kafkit knows, with Kafka's default (null: none). */
function brokerConfigDefaults(): Map<string, string | null> {
  const out = new Map<string, string | null>();
  for (const list of Object.values(TOPIC_BROKER_SYNONYMS)) for (const [name, def] of list) out.set(name, def);
  for (const [name, def] of Object.entries(BROKER_DEFAULTS)) out.set(name, def);
  return out;
}

/**
 * The dynamic cluster-wide broker defaults: the settings whose value is not Kafka's default (a new
 * data dir writes Kafka's defaults into cluster.json, which are not overrides).
 */
export function dynamicBrokerDefaults(settings: Record<string, string>): Record<string, string> {
  const defaults = brokerConfigDefaults();
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(settings)) if (!defaults.has(k) || defaults.get(k) !== v) out[k] = v;
  return out;
}

const syn = (name: string, value: string | null, source: ConfigSource): ConfigSynonym => ({ name, value, source });

/** An entry's source is its most specific synonym's; its value is that synonym's unless given (a topic's effective value). */
function entry(name: string, synonyms: ConfigSynonym[], value?: string | null): DescribedConfig {
  const first = synonyms[0];
  return { name, value: value !== undefined ? value : first ? first.value : null, source: first ? first.source : 'DEFAULT_CONFIG', isSensitive: false, synonyms };
}

/** The broker-level synonyms of a name: this broker's dynamic value, the dynamic default, Kafka's default. */
function brokerSynonyms(name: string, def: string | null, perBroker: Record<string, string> | null, dynDefaults: Record<string, string>): ConfigSynonym[] {
  const out: ConfigSynonym[] = [];
  if (perBroker && name in perBroker) out.push(syn(name, perBroker[name], 'DYNAMIC_BROKER_CONFIG'));
  if (name in dynDefaults) out.push(syn(name, dynDefaults[name], 'DYNAMIC_DEFAULT_BROKER_CONFIG'));
  if (def !== null) out.push(syn(name, def, 'DEFAULT_CONFIG'));
  return out;
}

export function describeTopicEntity(overrides: Record<string, string>, settings: Record<string, string>): DescribedConfig[] {
  const dyn = dynamicBrokerDefaults(settings);
  const effective = effectiveTopicConfig(overrides, settings);
  return Object.keys(TOPIC_CONFIGS)
    .sort()
    .map((name) => {
      const synonyms: ConfigSynonym[] = [];
      if (name in overrides) synonyms.push(syn(name, overrides[name], 'DYNAMIC_TOPIC_CONFIG'));
      for (const [b, def] of TOPIC_BROKER_SYNONYMS[name] ?? []) synonyms.push(...brokerSynonyms(b, def, null, dyn));
      return entry(name, synonyms, effective[name]);
    });
}

/** A broker (`id`) or the cluster-wide defaults (''). */
export function describeBrokerEntity(id: string, perBroker: Record<string, string>, settings: Record<string, string>): DescribedConfig[] {
  const dyn = dynamicBrokerDefaults(settings);
  const defaults = brokerConfigDefaults();
  const names = new Set([...defaults.keys(), ...Object.keys(dyn), ...(id === '' ? [] : Object.keys(perBroker))]);
  return [...names].sort().map((name) => entry(name, brokerSynonyms(name, defaults.get(name) ?? null, id === '' ? null : perBroker, dyn)));
}

export function describeGroupEntity(overrides: Record<string, string>): DescribedConfig[] {
  return Object.keys(GROUP_CONFIGS)
    .sort()
    .map((name) => {
      const synonyms: ConfigSynonym[] = [];
      if (name in overrides) synonyms.push(syn(name, overrides[name], 'DYNAMIC_GROUP_CONFIG'));
      synonyms.push(syn(name, GROUP_CONFIGS[name], 'DEFAULT_CONFIG'));
      return entry(name, synonyms);
    });
}

/** Kafka's GroupConfig.validateNames and value check: a group config must be one of GROUP_CONFIGS. */
export function validateGroupConfig(name: string, value: string): void {
  if (!(name in GROUP_CONFIGS)) throw new InvalidConfigError(`Unknown group config name: ${name}`);
  const def = GROUP_CONFIGS[name];
  if (/^\d+$/.test(def) && !/^[+-]?\d+$/.test(value.trim())) throw new InvalidConfigError(`Invalid value ${value} for configuration ${name}: Not a number of type INT`);
}

export { validateTopicConfig };
