// Where --reset-offsets moves each partition of one group: the scope picks the partitions, the
// scenario the target, and targets outside [log start, log end] are clamped with Kafka's warnings.
// Reads through the Admin interface only; printing and committing are the command's job.
import type { Admin, OffsetSpec, TopicPartition } from '../../client/types.js';
import { UnknownTopicOrPartitionError, UsageError } from '../../errors.js';
import type { ResetRow } from '../../format/groups.js';
import type { ResetPlan } from './csv.js';
import type { TopicArg } from './topic-arg.js';

export type Scenario =
  | { kind: 'to-earliest' }
  | { kind: 'to-latest' }
  | { kind: 'to-current' }
  | { kind: 'to-offset'; offset: number }
  | { kind: 'shift-by'; shift: number }
  /** --to-datetime and --by-duration both end up here. */
  | { kind: 'to-timestamp'; timestamp: number }
  | { kind: 'from-file'; plan: ResetPlan };

export type ResetScope = { kind: 'all-topics' } | { kind: 'topics'; topics: TopicArg[] } | { kind: 'from-file' };

export interface GroupResetPlan {
  rows: ResetRow[];
  /** Clamping notes; Kafka logs them at WARN (stderr). */
  warnings: string[];
  /** Lines Kafka prints on stdout while planning (`\nWarn: Partition 0 from topic t is empty...`). */
  notices: string[];
  /** Set when the plan file has nothing for this group: Kafka prints it as an Error and goes on. */
  error?: string;
}

const key = (tp: TopicPartition) => `${tp.topic}\u0000${tp.partition}`;
const name = (tp: TopicPartition) => `${tp.topic}-${tp.partition}`;

async function offsetsOf(admin: Admin, tps: TopicPartition[], spec: OffsetSpec): Promise<Map<string, number>> {
  if (tps.length === 0) return new Map();
  const listed = await admin.listOffsets(tps.map((tp) => ({ ...tp, spec })));
  return new Map(listed.map((o) => [key(o), o.offset]));
}

/** Explicit partitions first, then every partition of the whole topics, as Kafka orders them. */
async function partitionsInScope(admin: Admin, scope: ResetScope, group: string, committed: TopicPartition[], scenario: () => Promise<Scenario>): Promise<TopicPartition[]> {
  if (scope.kind === 'all-topics') return committed;
  if (scope.kind === 'from-file') {
    const s = await scenario();
    return s.kind === 'from-file' ? (s.plan.get(group) ?? []).map(({ topic, partition }) => ({ topic, partition })) : [];
  }
  const explicit = scope.topics.flatMap((t) => (t.partitions ?? []).map((partition) => ({ topic: t.topic, partition })));
  const whole = [...new Set(scope.topics.filter((t) => t.partitions === null).map((t) => t.topic))];
  const described = whole.length > 0 ? await admin.describeTopics(whole) : [];
  return [...explicit, ...described.flatMap((d) => d.partitions.map((p) => ({ topic: d.name, partition: p.partition })))];
}

/** Kafka refuses the whole reset when a named partition does not exist. */
async function checkPartitionsExist(admin: Admin, tps: TopicPartition[]): Promise<void> {
  if (tps.length === 0) return;
  const described = await admin.describeTopics([...new Set(tps.map((tp) => tp.topic))]);
  const existing = new Set(described.flatMap((d) => d.partitions.map((p) => key({ topic: d.name, partition: p.partition }))));
  const missing = tps.filter((tp) => !existing.has(key(tp)));
  if (missing.length > 0) throw new UnknownTopicOrPartitionError(`The partitions "${missing.map(name).join(',')}" do not exist`);
}

/**
 * Plans one inactive group's reset. `scenario` is resolved on first use, so that a bad
 * --to-datetime or plan file is reported where Kafka reports it: after the group and scope checks.
 */
export async function planGroupReset(admin: Admin, group: string, scope: ResetScope, scenario: () => Promise<Scenario>): Promise<GroupResetPlan> {
  const committedList = await admin.fetchCommittedOffsets(group);
  const committed = new Map(committedList.map((c) => [key(c), c.offset]));
  const unique = new Map<string, TopicPartition>();
  for (const tp of await partitionsInScope(admin, scope, group, committedList.map(({ topic, partition }) => ({ topic, partition })), scenario)) unique.set(key(tp), tp);
  const partitions = [...unique.values()];
  await checkPartitionsExist(admin, partitions);
  const s = await scenario();
  const plan: GroupResetPlan = { rows: [], warnings: [], notices: [] };
  if (s.kind === 'from-file' && !s.plan.has(group)) {
    plan.error = `No reset plan for group ${group} found`;
    return plan;
  }

  const requested = new Map<string, number>();
  const needsRange = s.kind === 'to-offset' || s.kind === 'shift-by' || s.kind === 'from-file';
  const [earliest, latest] = await Promise.all([
    s.kind === 'to-earliest' || needsRange ? offsetsOf(admin, partitions, 'earliest') : new Map<string, number>(),
    offsetsOf(admin, partitions, 'latest'),
  ]);
  const endOf = (tp: TopicPartition) => {
    const end = latest.get(key(tp));
    if (end === undefined) throw new UsageError(`Error getting ending offset of topic partition: ${name(tp)}`);
    return end;
  };

  switch (s.kind) {
    case 'to-earliest':
      for (const tp of partitions) {
        const start = earliest.get(key(tp));
        if (start === undefined) throw new UsageError(`Error getting starting offset of topic partition: ${name(tp)}`);
        requested.set(key(tp), start);
      }
      break;
    case 'to-latest':
      for (const tp of partitions) requested.set(key(tp), endOf(tp));
      break;
    case 'to-current':
      // A partition without a committed offset is moved to the log end, as Kafka does.
      for (const tp of partitions) requested.set(key(tp), committed.get(key(tp)) ?? endOf(tp));
      break;
    case 'to-offset':
      for (const tp of partitions) requested.set(key(tp), s.offset);
      break;
    case 'shift-by':
      for (const tp of partitions) {
        const current = committed.get(key(tp));
        if (current === undefined) throw new UsageError(`Cannot shift offset for partition ${name(tp)} since there is no current committed offset`);
        requested.set(key(tp), current + s.shift);
      }
      break;
    case 'to-timestamp': {
      const at = await offsetsOf(admin, partitions, { timestamp: s.timestamp });
      for (const tp of partitions) {
        const offset = at.get(key(tp));
        if (offset === undefined || offset < 0) {
          plan.notices.push(`\nWarn: Partition ${tp.partition} from topic ${tp.topic} is empty. Falling back to latest known offset.\n`);
          requested.set(key(tp), endOf(tp));
        } else requested.set(key(tp), offset);
      }
      break;
    }
    case 'from-file':
      for (const r of s.plan.get(group)!) requested.set(key(r), r.offset);
      break;
  }

  for (const tp of partitions) {
    let offset = requested.get(key(tp))!;
    if (needsRange) {
      const end = endOf(tp);
      const start = earliest.get(key(tp)) ?? 0;
      if (offset > end) {
        plan.warnings.push(`New offset (${offset}) is higher than latest offset for topic partition ${name(tp)}. Value will be set to ${end}`);
        offset = end;
      } else if (offset < start) {
        plan.warnings.push(`New offset (${offset}) is lower than earliest offset for topic partition ${name(tp)}. Value will be set to ${start}`);
        offset = start;
      }
    }
    plan.rows.push({ group, topic: tp.topic, partition: tp.partition, offset });
  }
  plan.rows.sort((a, b) => (a.topic < b.topic ? -1 : a.topic > b.topic ? 1 : a.partition - b.partition));
  return plan;
}
