// kafka-consumer-groups tables and messages, laid out as Kafka 4.1 prints them (reference §4).
// Pure functions: data in, exact text out. Widths follow Kafka's printf formats: `%-Ns` pads to N
// and never truncates, so a longer value simply pushes the next column right.
import type { KafkitError } from '../errors.js';

const pad = (s: string, w: number) => s.padEnd(w);
/** Kafka's `max(min, longest value)` column width. */
const width = (min: number, values: string[]) => Math.max(min, ...values.map((v) => v.length));
const dash = (v: number | null | undefined) => (v === null || v === undefined ? '-' : String(v));

// ---------------------------------------------------------------------------------------------
// --list

export interface ListRow {
  group: string;
  type: string;
  state: string;
}

/** Bare ids; with --state and/or --type a table whose GROUP column is max(15, longest) + 10 wide. */
export function formatGroupList(rows: ListRow[], showType: boolean, showState: boolean): string {
  if (!showState && !showType) return rows.map((r) => `${r.group}\n`).join('');
  const G = width(15, rows.map((r) => r.group)) + 10;
  const line = (g: string, t: string, s: string) => `${pad(g, G)}${showType ? ` ${pad(t, 20)}` : ''}${showState ? ` ${pad(s, 20)}` : ''}\n`;
  return line('GROUP', 'TYPE', 'STATE') + rows.map((r) => line(r.group, r.type, r.state)).join('');
}

// ---------------------------------------------------------------------------------------------
// --describe (offsets view)

export interface OffsetRow {
  group: string;
  topic: string;
  partition: number;
  currentOffset: number | null;
  logEndOffset: number | null;
  lag: number | null;
  leaderEpoch: number | null;
  consumerId: string;
  host: string;
  clientId: string;
}

/** Every line starts with a newline and the table ends with one; no rows, no table. */
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

// ---------------------------------------------------------------------------------------------
// --describe --members

export interface MemberRow {
  group: string;
  consumerId: string;
  /** '' when the member has none (Kafka prints the empty string, not '-'). */
  groupInstanceId: string;
  host: string;
  clientId: string;
  partitions: number;
  /** `topic:0,1;t2:0`, or '-' (see formatAssignment). */
  assignment: string;
}

/**
 * The header is printed even when there are no rows (Kafka 3.8+). Column widths only grow from
 * the rows, so an empty group gets the minimum widths whatever its id's length.
 */
export function formatMembersTable(rows: MemberRow[], verbose = false): string {
  const G = width(15, rows.map((r) => r.group));
  const C = width(15, rows.map((r) => r.consumerId));
  const I = width(17, rows.map((r) => r.groupInstanceId));
  const H = width(15, rows.map((r) => r.host));
  const L = width(15, rows.map((r) => r.clientId));
  const A = width(20, rows.map((r) => r.assignment));
  const B = 20; // TARGET-ASSIGNMENT: always '-' for classic-protocol groups
  const withInstance = rows.some((r) => r.groupInstanceId !== '');
  // The base format ends with a space after #PARTITIONS; the verbose columns follow it directly.
  const base = (c: string[]) => `${pad(c[0], G)} ${pad(c[1], C)} ${withInstance ? `${pad(c[2], I)} ` : ''}${pad(c[3], H)} ${pad(c[4], L)} ${pad(c[5], 15)} `;
  const extra = (c: string[]) => (verbose ? `${pad(c[0], 15)} ${pad(c[1], A)} ${pad(c[2], 15)} ${pad(c[3], B)}` : '');
  let out = `\n${base(['GROUP', 'CONSUMER-ID', 'GROUP-INSTANCE-ID', 'HOST', 'CLIENT-ID', '#PARTITIONS'])}${extra(['CURRENT-EPOCH', 'CURRENT-ASSIGNMENT', 'TARGET-EPOCH', 'TARGET-ASSIGNMENT'])}\n`;
  for (const r of rows) {
    out += `${base([r.group, r.consumerId, r.groupInstanceId, r.host, r.clientId, String(r.partitions)])}${extra(['-', r.assignment, '-', '-'])}\n`;
  }
  return out;
}

/** `topic:0,1;t2:0`: topics sorted, partitions sorted numerically (4.1+); '-' when empty. */
export function formatAssignment(tps: Array<{ topic: string; partition: number }>): string {
  if (tps.length === 0) return '-';
  const byTopic = new Map<string, number[]>();
  for (const tp of tps) byTopic.set(tp.topic, [...(byTopic.get(tp.topic) ?? []), tp.partition]);
  return [...byTopic]
    .map(([t, ps]) => `${t}:${ps.sort((a, b) => a - b).join(',')}`)
    .sort()
    .join(';');
}

// ---------------------------------------------------------------------------------------------
// --describe --state

export interface StateRow {
  group: string;
  /** `host:port  (id)`: two spaces, as the Java tool prints it. */
  coordinator: string;
  /** '' prints as '-'. */
  assignmentStrategy: string;
  state: string;
  members: number;
}

export function formatStateTable(r: StateRow, verbose = false): string {
  const G = width(15, [r.group]);
  const K = width(25, [r.coordinator]);
  const line = (c: string[]) => `\n${pad(c[0], G)} ${pad(c[1], K)} ${pad(c[2], 20)} ${pad(c[3], 20)} ${verbose ? `${pad(c[5], 15)} ${pad(c[6], 25)} ` : ''}${c[4]}`;
  const header = line(['GROUP', 'COORDINATOR (ID)', 'ASSIGNMENT-STRATEGY', 'STATE', '#MEMBERS', 'GROUP-EPOCH', 'TARGET-ASSIGNMENT-EPOCH']);
  // Classic groups have no group epoch or target assignment epoch: '-'.
  const row = line([r.group, r.coordinator, r.assignmentStrategy || '-', r.state, String(r.members), '-', '-']);
  return `${header}${row}\n`;
}

export function coordinatorText(c: { id: number; host: string; port: number } | null): string {
  if (!c) return '-';
  // A negative port: a coordinator with no network address (the embedded engine's).
  return c.port < 0 ? `${c.host}  (${c.id})` : `${c.host}:${c.port}  (${c.id})`;
}

// ---------------------------------------------------------------------------------------------
// --reset-offsets

export interface ResetRow {
  group: string;
  topic: string;
  partition: number;
  offset: number;
}

/**
 * Kafka 4.1's fixed layout (`%n%-30s %-30s %-10s %-15s`, trailing padding kept). The header is
 * printed when at least one group was looked at, even one refused for being active; the final
 * newline always.
 */
export function formatResetTable(rows: ResetRow[], anyGroup: boolean): string {
  const line = (c: string[]) => `\n${pad(c[0], 30)} ${pad(c[1], 30)} ${pad(c[2], 10)} ${pad(c[3], 15)}`;
  const header = anyGroup ? line(['GROUP', 'TOPIC', 'PARTITION', 'NEW-OFFSET']) : '';
  return `${header}${rows.map((r) => line([r.group, r.topic, String(r.partition), String(r.offset)])).join('')}\n`;
}

// ---------------------------------------------------------------------------------------------
// --delete and --delete-offsets

export interface DeleteGroupResult {
  group: string;
  error?: KafkitError | Error;
}

/**
 * `--delete` report, Kafka 4.1 wording and quoting. Kafka prints all of it on stdout; kafkit puts
 * the failure part (`err`, starting with Kafka's `\nError: ` line) on stderr.
 */
export function formatDeleteGroups(results: DeleteGroupResult[]): { out: string; err: string } {
  const quoted = (rs: DeleteGroupResult[]) => rs.map((r) => `'${r.group}'`).join(', ');
  const ok = results.filter((r) => !r.error);
  const failed = results.filter((r) => r.error);
  if (failed.length === 0) return { out: `Deletion of requested consumer groups (${quoted(ok)}) was successful.\n`, err: '' };
  let err = '\nError: Deletion of some consumer groups failed:\n';
  for (const r of failed) err += `* Group '${r.group}' could not be deleted due to: ${javaErrorText(r.error!)}\n`;
  return { out: ok.length > 0 ? `\nThese consumer groups were deleted successfully: ${quoted(ok)}\n` : '', err };
}

export interface DeleteOffsetsRow {
  topic: string;
  /** null: the topic itself failed (unknown topic); printed as '-'. */
  partition: number | null;
  error?: KafkitError | Error;
}

/**
 * The first line of `--delete-offsets` output, chosen by the request's top-level error (4.1).
 * `error` tells whether Kafka prints it as an `Error:` line.
 */
export function deleteOffsetsVerdict(group: string, topLevel: KafkitError | Error | undefined): { error: boolean; message: string } {
  if (!topLevel) return { error: false, message: `Request succeeded for deleting offsets from group ${group}.` };
  const name = kafkaNameOf(topLevel);
  switch (name) {
    case 'INVALID_GROUP_ID':
    case 'GROUP_ID_NOT_FOUND':
    case 'GROUP_AUTHORIZATION_FAILED':
    case 'NON_EMPTY_GROUP':
      return { error: true, message: JAVA_ERRORS[name][1] };
    case 'GROUP_SUBSCRIBED_TO_TOPIC':
    case 'TOPIC_AUTHORIZATION_FAILED':
    case 'UNKNOWN_TOPIC_OR_PARTITION':
      return { error: true, message: 'Encountered some partition-level error, see the follow-up details.' };
    default:
      return { error: true, message: `Encountered some unknown error: ${name}` };
  }
}

/** `%n%-T %-10s %-15s` with T = max(15, longest topic), rows sorted by the text topic+partition. */
export function formatDeleteOffsetsTable(rows: DeleteOffsetsRow[]): string {
  const T = width(15, rows.map((r) => r.topic));
  const line = (c: string[]) => `\n${pad(c[0], T)} ${pad(c[1], 10)} ${pad(c[2], 15)}`;
  // Kafka sorts on topic + partition number as one string (so 't10' sorts before 't2'); -1 stands for the whole topic.
  const key = (r: DeleteOffsetsRow) => `${r.topic}${r.partition ?? -1}`;
  const sorted = [...rows].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
  const body = sorted.map((r) => line([r.topic, r.partition === null ? '-' : String(r.partition), r.error ? `Error: ${javaErrorText(r.error)}` : 'Successful'])).join('');
  return `${line(['TOPIC', 'PARTITION', 'STATUS'])}${body}\n`;
}

// ---------------------------------------------------------------------------------------------
// Errors as the Java tool renders them (`<exception class>: <message>`).

/** Kafka error name -> [Java exception class, Errors default message]. */
const JAVA_ERRORS: Record<string, [string, string]> = {
  NON_EMPTY_GROUP: ['GroupNotEmptyException', 'The group is not empty.'],
  GROUP_ID_NOT_FOUND: ['GroupIdNotFoundException', 'The group id does not exist.'],
  INVALID_GROUP_ID: ['InvalidGroupIdException', 'The configured groupId is invalid.'],
  GROUP_AUTHORIZATION_FAILED: ['GroupAuthorizationException', 'Group authorization failed.'],
  TOPIC_AUTHORIZATION_FAILED: ['TopicAuthorizationException', 'Topic authorization failed.'],
  GROUP_SUBSCRIBED_TO_TOPIC: ['GroupSubscribedToTopicException', 'Deleting offsets of a topic is forbidden while the consumer group is actively subscribed to it.'],
  UNKNOWN_TOPIC_OR_PARTITION: ['UnknownTopicOrPartitionException', 'This server does not host this topic-partition.'],
  COORDINATOR_NOT_AVAILABLE: ['CoordinatorNotAvailableException', 'The coordinator is not available.'],
  REQUEST_TIMED_OUT: ['TimeoutException', 'The request timed out.'],
};

function kafkaNameOf(err: Error): string {
  const name = (err as Partial<KafkitError>).kafkaName;
  return typeof name === 'string' ? name : 'UNKNOWN_SERVER_ERROR';
}

/**
 * `org.apache.kafka.common.errors.GroupNotEmptyException: The group is not empty.` For the errors
 * the group tool meets, the broker sends Kafka's default message, so that is what is shown
 * whatever text the backend put in the error.
 */
export function javaErrorText(err: Error): string {
  const known = JAVA_ERRORS[kafkaNameOf(err)];
  if (known) return `org.apache.kafka.common.errors.${known[0]}: ${known[1]}`;
  const cls = err.constructor.name.replace(/Error$/, 'Exception');
  return `org.apache.kafka.common.errors.${cls}: ${err.message}`;
}
