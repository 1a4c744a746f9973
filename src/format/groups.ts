// kafka-consumer-groups tables, with Kafka 4.1's column widths (reference §4). Pure functions.

const pad = (s: string, w: number) => s.padEnd(w);
const width = (min: number, values: string[]) => Math.max(min, ...values.map((v) => v.length));

export interface OffsetRow {
  group: string;
  topic: string;
  partition: number;
  currentOffset: number | null;
  logEndOffset: number | null;
  lag: number | null;
  leaderEpoch?: number | null;
  consumerId: string;
  host: string;
  clientId: string;
}

const dash = (v: number | null | undefined) => (v === null || v === undefined ? '-' : String(v));

/** Offsets view: every line starts with a newline and the table ends with one. */
export function formatOffsetsTable(rows: OffsetRow[], verbose = false): string {
  if (rows.length === 0) return '';
  const G = width(15, rows.map((r) => r.group));
  const T = width(15, rows.map((r) => r.topic));
  const C = width(15, rows.map((r) => r.consumerId));
  const H = width(15, rows.map((r) => r.host));
  const line = (c: string[]) =>
    `\n${pad(c[0], G)} ${pad(c[1], T)} ${pad(c[2], 10)} ${verbose ? `${pad(c[9], 15)} ` : ''}${pad(c[3], 15)} ${pad(c[4], 15)} ${pad(c[5], 15)} ${pad(c[6], C)} ${pad(c[7], H)} ${c[8]}`;
  let out = line(['GROUP', 'TOPIC', 'PARTITION', 'CURRENT-OFFSET', 'LOG-END-OFFSET', 'LAG', 'CONSUMER-ID', 'HOST', 'CLIENT-ID', 'LEADER-EPOCH']);
  for (const r of rows) {
    out += line([r.group, r.topic, String(r.partition), dash(r.currentOffset), dash(r.logEndOffset), dash(r.lag), r.consumerId, r.host, r.clientId, dash(r.leaderEpoch)]);
  }
  return `${out}\n`;
}

export interface MemberRow {
  group: string;
  consumerId: string;
  groupInstanceId: string | null;
  host: string;
  clientId: string;
  partitions: number;
  /** `topic:0,1;t2:0`, or '-' */
  assignment: string;
}

export function formatMembersTable(rows: MemberRow[], group: string, verbose = false): string {
  const G = width(15, [group, ...rows.map((r) => r.group)]);
  const C = width(15, rows.map((r) => r.consumerId));
  const H = width(15, rows.map((r) => r.host));
  const L = width(15, rows.map((r) => r.clientId));
  const withInstance = rows.some((r) => r.groupInstanceId !== null);
  const I = width(17, rows.map((r) => r.groupInstanceId ?? '-'));
  const A = width(20, rows.map((r) => r.assignment));
  const line = (c: string[]) =>
    `\n${pad(c[0], G)} ${pad(c[1], C)} ${withInstance ? `${pad(c[2], I)} ` : ''}${pad(c[3], H)} ${pad(c[4], L)} ${pad(c[5], 15)} ${
      verbose ? `${pad(c[6], 15)} ${pad(c[7], A)} ${pad(c[8], 15)} ${pad(c[9], 20)}` : ''
    }`;
  let out = line(['GROUP', 'CONSUMER-ID', 'GROUP-INSTANCE-ID', 'HOST', 'CLIENT-ID', '#PARTITIONS', 'CURRENT-EPOCH', 'CURRENT-ASSIGNMENT', 'TARGET-EPOCH', 'TARGET-ASSIGNMENT']);
  for (const r of rows) out += line([r.group, r.consumerId, r.groupInstanceId ?? '-', r.host, r.clientId, String(r.partitions), '-', r.assignment, '-', '-']);
  return `${out}\n`;
}

export interface StateRow {
  group: string;
  coordinator: string;
  assignmentStrategy: string;
  state: string;
  members: number;
  groupEpoch?: string;
}

export function formatStateTable(r: StateRow, verbose = false): string {
  const G = width(15, [r.group]);
  const K = width(25, [r.coordinator]);
  const line = (c: string[]) => `\n${pad(c[0], G)} ${pad(c[1], K)} ${pad(c[2], 20)} ${pad(c[3], 20)} ${verbose ? `${pad(c[5], 15)} ${pad(c[6], 25)} ` : ''}${c[4]}`;
  return `${line(['GROUP', 'COORDINATOR (ID)', 'ASSIGNMENT-STRATEGY', 'STATE', '#MEMBERS', 'GROUP-EPOCH', 'TARGET-ASSIGNMENT-EPOCH'])}${line([
    r.group,
    r.coordinator,
    r.assignmentStrategy || '-',
    r.state,
    String(r.members),
    r.groupEpoch ?? '-',
    '-',
  ])}\n`;
}

/** `--list` with --state/--type: padded columns; without: bare ids. */
export function formatGroupList(rows: Array<{ group: string; state: string; type: string }>, showState: boolean, showType: boolean): string {
  if (!showState && !showType) return rows.map((r) => `${r.group}\n`).join('');
  const W = width(15, rows.map((r) => r.group)) + 10;
  const line = (g: string, t: string, s: string) => `${pad(g, W)}${showType ? ` ${pad(t, 20)}` : ''}${showState ? ` ${pad(s, 20)}` : ''}\n`;
  return line('GROUP', 'TYPE', 'STATE') + rows.map((r) => line(r.group, r.type, r.state)).join('');
}

export interface ResetRow {
  group: string;
  topic: string;
  partition: number;
  offset: number;
}

export function formatResetTable(rows: ResetRow[]): string {
  const line = (c: string[]) => `\n${pad(c[0], 30)} ${pad(c[1], 30)} ${pad(c[2], 10)} ${pad(c[3], 15)}`;
  return `${line(['GROUP', 'TOPIC', 'PARTITION', 'NEW-OFFSET'])}${rows.map((r) => line([r.group, r.topic, String(r.partition), String(r.offset)])).join('')}\n`;
}

/** `--export`: topic,partition,offset (one group) or group,topic,partition,offset, then an empty line. */
export function formatResetCsv(rows: ResetRow[], withGroup: boolean): string {
  return `${rows.map((r) => (withGroup ? `${r.group},` : '') + `${r.topic},${r.partition},${r.offset}`).join('\n')}\n\n`;
}

export function formatDeleteOffsetsTable(rows: Array<{ topic: string; partition: number | null; status: string }>): string {
  const T = width(15, rows.map((r) => r.topic));
  const line = (c: string[]) => `\n${pad(c[0], T)} ${pad(c[1], 10)} ${pad(c[2], 15)}`;
  return `${line(['TOPIC', 'PARTITION', 'STATUS'])}${rows.map((r) => line([r.topic, r.partition === null ? '-' : String(r.partition), r.status])).join('')}\n`;
}

/** `topic:0,1;t2:0` with topics sorted and partitions sorted numerically (4.1+), '-' when empty. */
export function formatAssignment(tps: Array<{ topic: string; partition: number }>): string {
  if (tps.length === 0) return '-';
  const by = new Map<string, number[]>();
  for (const tp of tps) by.set(tp.topic, [...(by.get(tp.topic) ?? []), tp.partition]);
  return [...by.keys()]
    .sort()
    .map((t) => `${t}:${by.get(t)!.sort((a, b) => a - b).join(',')}`)
    .join(';');
}
