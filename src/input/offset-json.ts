// kafka-delete-records' --offset-json-file: {"partitions":[{"topic":"foo","partition":1,"offset":1}],"version":1}
// read as Kafka's DeleteRecordsCommand reads it (a missing version means 1; duplicates are refused).
import { readFileSync } from 'node:fs';
import type { TopicPartitionOffset } from '../client/types.js';
import { UsageError } from '../errors.js';

function field(obj: Record<string, unknown>, name: string): unknown {
  if (!(name in obj)) throw new UsageError(`No such field exists: \`${name}\``);
  return obj[name];
}

function integer(value: unknown, name: string, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || Math.abs(value) > max) {
    throw new UsageError(`Expected an integer for \`${name}\`, received ${JSON.stringify(value)}`);
  }
  return value;
}

export function parseOffsetJson(text: string): TopicPartitionOffset[] {
  let js: unknown;
  try {
    js = JSON.parse(text);
  } catch {
    throw new UsageError('The input string is not a valid JSON');
  }
  if (typeof js !== 'object' || js === null || Array.isArray(js)) throw new UsageError('The input string is not a valid JSON object');
  const obj = js as Record<string, unknown>;
  const version = 'version' in obj ? integer(obj.version, 'version', 2 ** 31 - 1) : 1;
  if (version !== 1) throw new UsageError(`Not supported version field value ${version}`);
  if (!('partitions' in obj)) throw new UsageError('Missing partitions field');
  if (!Array.isArray(obj.partitions)) throw new UsageError('Expected an array for `partitions`');
  const out = obj.partitions.map((p): TopicPartitionOffset => {
    if (typeof p !== 'object' || p === null) throw new UsageError(`Expected an object in \`partitions\`, received ${JSON.stringify(p)}`);
    const entry = p as Record<string, unknown>;
    const topic = field(entry, 'topic');
    if (typeof topic !== 'string') throw new UsageError(`Expected a string for \`topic\`, received ${JSON.stringify(topic)}`);
    return { topic, partition: integer(field(entry, 'partition'), 'partition', 2 ** 31 - 1), offset: integer(field(entry, 'offset'), 'offset', Number.MAX_SAFE_INTEGER) };
  });
  const seen = new Set<string>();
  const duplicates = new Set<string>();
  for (const o of out) {
    const key = `${o.topic}-${o.partition}`;
    if (seen.has(key)) duplicates.add(key);
    seen.add(key);
  }
  if (duplicates.size > 0) throw new UsageError(`Offset json file contains duplicate topic partitions: ${[...duplicates].join(',')}`);
  return out;
}

export function readOffsetJsonFile(path: string): TopicPartitionOffset[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new UsageError(`Cannot read --offset-json-file ${path}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message}`);
  }
  return parseOffsetJson(text);
}
