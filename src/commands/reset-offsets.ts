// kafka-consumer-groups --reset-offsets: which partitions (scope), where to (scenario), clamped to
// the log's range. Pure planning over the Admin interface; the command prints and executes.
import type { Admin, TopicPartition } from '../client/types.js';
import { UsageError } from '../errors.js';
import type { ResetRow } from '../format/groups.js';

export type Scenario =
  | { kind: 'to-earliest' }
  | { kind: 'to-latest' }
  | { kind: 'to-current' }
  | { kind: 'to-offset'; offset: number }
  | { kind: 'shift-by'; shift: number }
  | { kind: 'to-datetime'; timestamp: number }
  | { kind: 'from-file'; rows: ResetRow[] };

/** `--topic t` or `t:0,2`. */
export function parseTopicArg(arg: string): { topic: string; partitions: number[] | null } {
  const parts = arg.split(':');
  if (parts.length > 2) throw new UsageError(`Invalid topic arg '${arg}', expected topic name and partitions`);
  if (parts.length === 1) return { topic: arg, partitions: null };
  const partitions = parts[1].split(',').map((p) => {
    const v = p.trim();
    if (!/^\d+$/.test(v)) throw new UsageError(`Invalid partition '${v}' specified in topic arg '${arg}''`);
    return Number(v);
  });
  return { topic: parts[0], partitions };
}

/** `yyyy-MM-ddTHH:mm:ss.SSS` with an optional zone (Z, +hh:mm, +hhmm, +hh); no zone means UTC. */
export function parseDateTime(text: string): number {
  const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,3})?)(Z|[+-]\d{2}(?::?\d{2})?)?$/.exec(text.trim());
  if (!m) throw new UsageError(`Unparseable date: "${text}": use yyyy-MM-ddTHH:mm:ss.SSS, optionally followed by Z or +hh:mm.`);
  let zone = m[2] ?? 'Z';
  if (/^[+-]\d{2}$/.test(zone)) zone += ':00';
  else if (/^[+-]\d{4}$/.test(zone)) zone = `${zone.slice(0, 3)}:${zone.slice(3)}`;
  const t = Date.parse(`${m[1]}${zone}`);
  if (Number.isNaN(t)) throw new UsageError(`Unparseable date: "${text}"`);
  return t;
}

/** ISO-8601 duration as java.time.Duration.parse accepts it: PnDTnHnMn.nS. */
export function parseDuration(text: string): number {
  const m = /^([-+]?)P(?:([-+]?\d+)D)?(?:T(?:([-+]?\d+)H)?(?:([-+]?\d+)M)?(?:([-+]?\d+(?:[.,]\d{1,9})?)S)?)?$/i.exec(text.trim());
  if (!m || (m[2] === undefined && m[3] === undefined && m[4] === undefined && m[5] === undefined) || /T$/i.test(text.trim())) {
    throw new UsageError(`Text cannot be parsed to a Duration: ${text} (use ISO-8601, e.g. PT15M or P1DT2H).`);
  }
  const n = (s: string | undefined) => (s === undefined ? 0 : Number(s.replace(',', '.')));
  const ms = ((n(m[2]) * 24 + n(m[3])) * 60 + n(m[4])) * 60_000 + n(m[5]) * 1000;
  return m[1] === '-' ? -ms : ms;
}

/** CSV from --from-file: `topic,partition,offset` or `group,topic,partition,offset`. */
export function parseResetFile(text: string, singleGroup: string | undefined): ResetRow[] {
  return text
    .split(/\r?\n/)
    .filter((l) => l.trim() !== '')
    .map((line) => {
      const c = line.split(',').map((s) => s.trim());
      if (c.length === 3 && singleGroup !== undefined) return { group: singleGroup, topic: c[0], partition: Number(c[1]), offset: Number(c[2]) };
      if (c.length === 4) return { group: c[0], topic: c[1], partition: Number(c[2]), offset: Number(c[3]) };
      throw new UsageError(`Invalid reset file line '${line}': expected topic,partition,offset (one --group) or group,topic,partition,offset.`);
    });
}

export interface PlanResult {
  rows: ResetRow[];
  warnings: string[];
}

/** The new offsets for one (inactive) group. */
export async function planGroupReset(
  admin: Admin,
  group: string,
  scope: { allTopics: boolean; topics: Array<{ topic: string; partitions: number[] | null }> },
  scenario: Scenario,
): Promise<PlanResult> {
  const committed = await admin.fetchCommittedOffsets(group);
  const committedOf = new Map(committed.map((c) => [`${c.topic}\0${c.partition}`, c.offset]));
  let partitions: TopicPartition[];
  if (scenario.kind === 'from-file') {
    partitions = scenario.rows.filter((r) => r.group === group).map((r) => ({ topic: r.topic, partition: r.partition }));
  } else if (scope.allTopics) {
    partitions = committed.map((c) => ({ topic: c.topic, partition: c.partition }));
  } else {
    partitions = [];
    const whole = scope.topics.filter((t) => t.partitions === null).map((t) => t.topic);
    const described = whole.length > 0 ? await admin.describeTopics(whole) : [];
    for (const t of scope.topics) {
      if (t.partitions === null) {
        const d = described.find((x) => x.name === t.topic)!;
        for (const p of d.partitions) partitions.push({ topic: t.topic, partition: p.partition });
      } else for (const p of t.partitions) partitions.push({ topic: t.topic, partition: p });
    }
  }
  if (partitions.length === 0) return { rows: [], warnings: [] };
  const [earliest, latest] = await Promise.all([
    admin.listOffsets(partitions.map((tp) => ({ ...tp, spec: 'earliest' as const }))),
    admin.listOffsets(partitions.map((tp) => ({ ...tp, spec: 'latest' as const }))),
  ]);
  const at = scenario.kind === 'to-datetime' ? await admin.listOffsets(partitions.map((tp) => ({ ...tp, spec: { timestamp: scenario.timestamp } }))) : [];
  const warnings: string[] = [];
  const rows = partitions.map((tp, i) => {
    const k = `${tp.topic}\0${tp.partition}`;
    const lo = earliest[i].offset;
    const hi = latest[i].offset;
    const clamp = (target: number) => {
      if (target > hi) {
        warnings.push(`New offset (${target}) is higher than latest offset for topic partition ${tp.topic}-${tp.partition}. Value will be set to ${hi}`);
        return hi;
      }
      if (target < lo) {
        warnings.push(`New offset (${target}) is lower than earliest offset for topic partition ${tp.topic}-${tp.partition}. Value will be set to ${lo}`);
        return lo;
      }
      return target;
    };
    let offset: number;
    switch (scenario.kind) {
      case 'to-earliest':
        offset = lo;
        break;
      case 'to-latest':
        offset = hi;
        break;
      case 'to-current':
        offset = committedOf.get(k) ?? hi;
        break;
      case 'to-offset':
        offset = clamp(scenario.offset);
        break;
      case 'shift-by': {
        const current = committedOf.get(k);
        if (current === undefined) throw new UsageError(`Cannot shift offset for partition ${tp.topic}-${tp.partition} since there is no current committed offset`);
        offset = clamp(current + scenario.shift);
        break;
      }
      case 'to-datetime':
        if (at[i].offset < 0) {
          warnings.push(`\nWarn: Partition ${tp.partition} from topic ${tp.topic} is empty. Falling back to latest known offset.`);
          offset = hi;
        } else offset = at[i].offset;
        break;
      case 'from-file':
        offset = clamp(scenario.rows.find((r) => r.group === group && r.topic === tp.topic && r.partition === tp.partition)!.offset);
        break;
    }
    return { group, topic: tp.topic, partition: tp.partition, offset };
  });
  return { rows, warnings };
}
