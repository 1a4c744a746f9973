// Shape checks for the data dir's JSON files. Valid JSON of the wrong shape (null, an array, an
// older layout, a missing field) would otherwise surface far away as "Cannot read properties of
// null". Each check throws an Error naming the first bad field; the caller adds the file and the fix.

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v);
  if (typeof v === 'object') return 'an object';
  return `${typeof v} ${String(v)}`;
}

function bad(field: string, value: unknown, expected: string): Error {
  return new Error(`${field} is ${value === undefined ? 'missing' : describe(value)}, expected ${expected}`);
}

function object(v: unknown, field: string): Json {
  if (!isObject(v)) throw bad(field, v, 'an object');
  return v;
}

function int(v: unknown, field: string, min: number): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < min) throw bad(field, v, `a whole number >= ${min}`);
  return v;
}

function ints(v: unknown, field: string, min: number): number[] {
  if (!Array.isArray(v)) throw bad(field, v, 'an array of broker ids');
  v.forEach((x, i) => int(x, `${field}[${i}]`, min));
  return v as number[];
}

function str(v: unknown, field: string): string {
  if (typeof v !== 'string') throw bad(field, v, 'a string');
  return v;
}

/** Cluster settings that must hold whole numbers (a bad one would create, say, a 0-partition topic). */
const INTEGER_SETTINGS: Record<string, number> = {
  'num.partitions': 1,
  'default.replication.factor': 1,
  'offsets.retention.minutes': 1,
  'group.min.session.timeout.ms': 0,
  'group.max.session.timeout.ms': 0,
  'log.flush.interval.messages': 1,
  'log.flush.interval.ms': 0,
  'max.partitions': 1,
  'connections.max.idle.ms': 1,
};

/** A whole-number setting's value, or an Error naming it. */
export function checkIntegerSetting(name: string, value: string, field = name): void {
  const min = INTEGER_SETTINGS[name];
  if (min === undefined) return;
  if (!/^-?\d+$/.test(value.trim()) || Number(value) < min) throw bad(field, value, `a whole number >= ${min}`);
}

export function checkClusterFile<T>(raw: unknown): T {
  const file = object(raw, 'the file');
  str(file.clusterId, 'clusterId');
  if (!Array.isArray(file.brokers) || file.brokers.length === 0) throw bad('brokers', file.brokers, 'a non-empty array');
  file.brokers.forEach((b, i) => {
    const broker = object(b, `brokers[${i}]`);
    int(broker.id, `brokers[${i}].id`, 0);
    if (broker.state !== 'online' && broker.state !== 'offline') throw bad(`brokers[${i}].state`, broker.state, '"online" or "offline"');
  });
  if (file.settings !== undefined) {
    const settings = object(file.settings, 'settings');
    for (const [k, v] of Object.entries(settings)) {
      str(v, `settings."${k}"`);
      checkIntegerSetting(k, v as string, `settings."${k}"`);
    }
  }
  return file as T;
}

export function checkMetadataFile<T>(raw: unknown): T {
  const file = object(raw, 'the file');
  int(file.version, 'version', 0);
  const topics = object(file.topics, 'topics');
  for (const [name, t] of Object.entries(topics)) {
    const at = `topics."${name}"`;
    const topic = object(t, at);
    if (topic.name !== name) throw bad(`${at}.name`, topic.name, JSON.stringify(name));
    str(topic.topicId, `${at}.topicId`);
    if (typeof topic.internal !== 'boolean') throw bad(`${at}.internal`, topic.internal, 'true or false');
    const configs = object(topic.configs, `${at}.configs`);
    for (const [k, v] of Object.entries(configs)) str(v, `${at}.configs."${k}"`);
    if (!Array.isArray(topic.partitions) || topic.partitions.length === 0) throw bad(`${at}.partitions`, topic.partitions, 'a non-empty array');
    topic.partitions.forEach((p, i) => {
      const pat = `${at}.partitions[${i}]`;
      const partition = object(p, pat);
      if (partition.partition !== i) throw bad(`${pat}.partition`, partition.partition, String(i));
      if (ints(partition.replicas, `${pat}.replicas`, 0).length === 0) throw bad(`${pat}.replicas`, partition.replicas, 'at least one broker id');
      if (partition.leader !== null) int(partition.leader, `${pat}.leader`, 0);
      int(partition.leaderEpoch, `${pat}.leaderEpoch`, 0);
      ints(partition.isr, `${pat}.isr`, 0);
    });
  }
  return file as T;
}
