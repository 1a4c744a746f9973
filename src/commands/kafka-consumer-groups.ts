// kafka-consumer-groups: list, describe, reset offsets, delete groups and offsets (reference §4,
// Kafka 4.1). Thin: flags -> Admin calls -> src/format/groups.ts text.
// Deliberate differences from Kafka are listed in docs/consumer-groups-tool.md (run-time errors
// exit 1, --output json, "does not exist" instead of a stack trace, a spinner and a confirmation
// prompt on a terminal, colour on a terminal only).
import { readFileSync } from 'node:fs';
import { Writable } from 'node:stream';
import { Chalk } from 'chalk';
import type { Admin, GroupDescription, GroupState, KafkaClient, TopicPartition } from '../client/types.js';
import { readPropertiesFile } from '../config/properties.js';
import { KafkitError, UsageError, toKafkitError } from '../errors.js';
import {
  coordinatorText,
  deleteOffsetsVerdict,
  formatAssignment,
  formatDeleteGroups,
  formatDeleteOffsetsTable,
  formatGroupList,
  formatMembersTable,
  formatOffsetsTable,
  formatResetTable,
  formatStateTable,
  type DeleteOffsetsRow,
  type OffsetRow,
  type ResetRow,
} from '../format/groups.js';
import { runMain, write, type CommandIO, type ParsedArgs, type ToolSpec } from './cli.js';
import { clientFromArgs, connectionOptions } from './client-args.js';
import { formatResetCsv, parseResetCsv } from './reset-offsets/csv.js';
import { parseIsoDuration, parseKafkaDateTime } from './reset-offsets/datetime.js';
import { planGroupReset, type ResetScope, type Scenario } from './reset-offsets/plan.js';
import { parseTopicArg } from './reset-offsets/topic-arg.js';

export const tool: ToolSpec = {
  name: 'kafka-consumer-groups',
  description: 'This tool helps to list, describe, delete and manage the offsets of consumer groups.',
  options: {
    ...connectionOptions,
    'command-config': { type: 'string', arg: 'command config property file', describe: 'Property file containing configs to be passed to Admin Client and Consumer.' },
    timeout: { type: 'number', arg: 'Long: timeout (ms)', defaultDescription: '30000', describe: 'The timeout that can be set for some use cases. For example, it can be used when describing the group to specify the maximum amount of time in milliseconds to wait before the group stabilizes.' },
    list: { type: 'boolean', describe: 'List all consumer groups.' },
    describe: { type: 'boolean', describe: 'Describe consumer group and list offset lag (number of messages not yet processed) related to given group.' },
    delete: { type: 'boolean', describe: 'Pass in groups to delete topic partition offsets and ownership information over the entire consumer group. For instance --group g1 --group g2' },
    'reset-offsets': { type: 'boolean', describe: 'Reset offsets of consumer group. Supports one consumer group at the time, and instances should be inactive. Has 2 execution options: --dry-run (the default) to plan which offsets to reset, and --execute to update the offsets. Additionally, the --export option is used to export the results to a CSV format.' },
    'delete-offsets': { type: 'boolean', describe: 'Delete offsets of consumer group. Supports one consumer group at the time, and multiple topics.' },
    'validate-regex': { type: 'string', arg: 'regex', describe: 'Validate that the syntax of the provided regular expression is valid according to the RE2 format.' },
    group: { type: 'string', arg: 'consumer group', repeatable: true, describe: 'The consumer group we wish to act on.' },
    'all-groups': { type: 'boolean', describe: 'Apply to all consumer groups.' },
    topic: { type: 'string', arg: 'topic', repeatable: true, describe: 'The topic whose consumer group information should be deleted or topic whose should be included in the reset offset process. In `reset-offsets` case, partitions can be specified using this format: `topic1:0,1,2`, where 0,1,2 are the partition to be included in the process. Reset-offsets also supports multiple topic inputs.' },
    'all-topics': { type: 'boolean', describe: 'Consider all topics assigned to a group in the `reset-offsets` process.' },
    members: { type: 'boolean', describe: 'Describe members of the group. This option may be used with \'--describe\' only (with or without \'--bootstrap-server\').' },
    offsets: { type: 'boolean', describe: 'Describe the group and list all topic partitions in the group along with their offset information. This is the default sub-action and may be used with \'--describe\' only (with or without \'--bootstrap-server\').' },
    state: { type: 'string', arg: 'String', optionalValue: true, describe: 'When specified with \'--describe\', includes the state of the group. When specified with \'--list\', it displays the state of all groups. It can also be used to list groups with specific states (comma-separated).' },
    type: { type: 'string', arg: 'String', optionalValue: true, describe: "When specified with '--list', it displays the types of all the groups. It can also be used to list groups with specific types. Valid types are: 'classic', 'consumer'." },
    verbose: { type: 'boolean', describe: 'Provide additional information, if any, when describing the group.' },
    'dry-run': { type: 'boolean', describe: 'Only show results without executing changes on Consumer Groups. Supported operations: reset-offsets.' },
    execute: { type: 'boolean', describe: 'Execute operation. Supported operations: reset-offsets.' },
    export: { type: 'boolean', describe: 'Export operation execution to a CSV file. Supported operations: reset-offsets.' },
    'to-offset': { type: 'number', arg: 'Long: offset', describe: 'Reset offsets to a specific offset.' },
    'to-earliest': { type: 'boolean', describe: 'Reset offsets to earliest offset.' },
    'to-latest': { type: 'boolean', describe: 'Reset offsets to latest offset.' },
    'to-current': { type: 'boolean', describe: 'Reset offsets to current offset.' },
    'shift-by': { type: 'number', arg: 'Long: number-of-offsets', describe: "Reset offsets shifting current offset by 'n', where 'n' can be positive or negative." },
    'to-datetime': { type: 'string', arg: 'String: datetime', describe: "Reset offsets to offset from datetime. Format: 'YYYY-MM-DDTHH:mm:SS.sss'" },
    'by-duration': { type: 'string', arg: 'String: duration', describe: "Reset offsets to offset by duration from current timestamp. Format: 'PnDTnHnMnS'" },
    'from-file': { type: 'string', arg: 'String: path to CSV file', describe: 'Reset offsets to values defined in CSV file.' },
    output: { type: 'string', arg: 'format', describe: "kafkit only: 'json' prints --list and --describe results as one JSON document instead of Kafka's tables (see docs/consumer-groups-tool.md)." },
  },
};

const ACTIONS = ['list', 'describe', 'delete', 'reset-offsets', 'delete-offsets', 'validate-regex'] as const;
type Action = (typeof ACTIONS)[number];
/** The order in which Kafka checks scenario conflicts... */
const SCENARIO_CHECK_ORDER = ['to-offset', 'to-datetime', 'by-duration', 'to-earliest', 'to-latest', 'to-current', 'shift-by', 'from-file'];
/** ...and the order in which it names them (its option set, declaration order). */
const SCENARIOS = ['to-offset', 'shift-by', 'to-datetime', 'by-duration', 'to-earliest', 'to-latest', 'to-current', 'from-file'];
const LIST_STATES: GroupState[] = ['PreparingRebalance', 'CompletingRebalance', 'Stable', 'Dead', 'Empty', 'Assigning', 'Reconciling'];
const LIST_TYPES = ['Classic', 'Consumer'];
const REBALANCING = new Set<GroupState>(['PreparingRebalance', 'CompletingRebalance', 'Assigning', 'Reconciling']);

export const RESET_DRY_RUN_WARNING =
  'WARN: No action will be performed as the --execute option is missing. In version 5.0, this command will require either --dry-run or --execute to be specified. You should add the --dry-run option explicitly if you are scripting this command and want to keep the current default behavior without prompting.';

const has = (args: ParsedArgs, k: string) => args[k] !== undefined && args[k] !== false;
const list = (args: ParsedArgs, k: string) => (args[k] as string[] | undefined) ?? [];

/**
 * Kafka's start-up checks in Kafka's order (§4.2). The reset dry-run warning is pushed to
 * `warnings` as soon as Kafka would print it, so that it also appears before a later usage error.
 * On a terminal a reset without --dry-run/--execute prompts instead, so there is no warning.
 */
export function validate(args: ParsedArgs, interactive: boolean, warnings: string[]): Action {
  // jopt's prerequisites (availableIf) fail while parsing, before any of the tool's checks.
  for (const dep of ['members', 'offsets', 'verbose'] as const) {
    if (has(args, dep) && !has(args, 'describe')) throw new UsageError(`Option(s) [${dep}] are unavailable given other options on the command line`);
  }
  if (has(args, 'state') && !has(args, 'describe') && !has(args, 'list')) throw new UsageError('Option(s) [state] are unavailable given other options on the command line');
  if (has(args, 'type') && !has(args, 'list')) throw new UsageError('Option(s) [type] are unavailable given other options on the command line');

  const groupSelection = has(args, 'group') || has(args, 'all-groups');
  const takesGroups = (action: string) => `Option [${action}] takes one of these options: [all-groups], [group]`;
  if (has(args, 'describe')) {
    if (!groupSelection) throw new UsageError(takesGroups('describe'));
    if (['members', 'offsets', 'state'].filter((k) => has(args, k)).length > 1) throw new UsageError('Option [describe] takes at most one of these options: [members], [offsets], [state]');
    if (typeof args.state === 'string' && args.state !== '') throw new UsageError('Option [describe] does not take a value for [state]');
  }
  if (has(args, 'delete')) {
    if (!groupSelection) throw new UsageError(takesGroups('delete'));
    if (has(args, 'topic')) throw new UsageError('The consumer does not support topic-specific offset deletion from a consumer group.');
  }
  if (has(args, 'delete-offsets') && (!has(args, 'group') || !has(args, 'topic'))) throw new UsageError('Option [delete-offsets] takes the following options: [group], [topic]');
  if (has(args, 'reset-offsets')) {
    if (has(args, 'dry-run') && has(args, 'execute')) throw new UsageError('Option [reset-offsets] only accepts one of [execute] and [dry-run]');
    if (!has(args, 'dry-run') && !has(args, 'execute') && !interactive) warnings.push(RESET_DRY_RUN_WARNING);
    if (!groupSelection) throw new UsageError(takesGroups('reset-offsets'));
    for (const s of SCENARIO_CHECK_ORDER) {
      const other = has(args, s) ? SCENARIOS.find((o) => o !== s && has(args, o)) : undefined;
      if (other) throw new UsageError(`Option "[${s}]" can't be used with option "[${other}]"`);
    }
  }
  if (has(args, 'group') && has(args, 'all-groups')) throw new UsageError('Option "[group]" can\'t be used with option "[all-groups]"');
  if (has(args, 'group') && has(args, 'list')) throw new UsageError('Option "[group]" can\'t be used with option "[list]"');
  for (const a of ['list', 'describe']) {
    if (has(args, 'topic') && has(args, a)) throw new UsageError(`Option "[topic]" can't be used with option "[${a}]"`);
  }
  if (args.output !== undefined && args.output !== 'json') throw new UsageError(`Unknown --output format '${args.output}': the only format is json.`);
  const actions = ACTIONS.filter((a) => has(args, a));
  if (actions.length !== 1) throw new UsageError('Command must include exactly one action: --list, --describe, --delete, --reset-offsets, --delete-offsets, --validate-regex');
  if (has(args, 'output') && !['list', 'describe'].includes(actions[0])) throw new UsageError('--output json applies to --list and --describe only.');
  return actions[0];
}

/** Where output goes, with colour only on a terminal and never under NO_COLOR. */
class Out {
  private readonly colour: InstanceType<typeof Chalk>;
  failed = false;
  /** Ctrl-C at a prompt: the run stops as a shell expects of SIGINT (exit 130), with no error. */
  interrupted = false;
  constructor(readonly io: CommandIO) {
    this.colour = new Chalk({ level: io.isTTY && !io.env.NO_COLOR ? 1 : 0 });
  }
  stdout(text: string) {
    return write(this.io.stdout, text);
  }
  stderr(text: string) {
    return write(this.io.stderr, text);
  }
  /**
   * Kafka's printError text (an empty line, then `Error: ...`), but on stderr: Kafka prints it on
   * stdout, where it would end up inside an --export CSV or a --output json document.
   * Marks the run as failed.
   */
  error(message: string) {
    this.failed = true;
    return this.stderr(`\n${this.colour.red('Error:')} ${message}\n`);
  }
  notice(text: string) {
    return this.stderr(`\n${this.colour.yellow(text)}\n`);
  }
}

// ---------------------------------------------------------------------------------------------
// --list

function parseFilter(raw: unknown, valid: string[], what: 'state' | 'types'): Set<string> | null {
  if (typeof raw !== 'string' || raw === '') return null;
  const wanted = raw.split(',').map((s) => s.trim().toLowerCase());
  if (wanted.some((w) => !valid.some((v) => v.toLowerCase() === w))) {
    throw new UsageError(`Invalid ${what} list '${raw}'. Valid ${what === 'state' ? 'states' : 'types'} are: ${valid.join(', ')}`);
  }
  return new Set(wanted);
}

async function listGroups(admin: Admin, args: ParsedArgs, out: Out): Promise<void> {
  const states = parseFilter(args.state, LIST_STATES, 'state');
  const types = parseFilter(args.type, LIST_TYPES, 'types');
  const rows = (await admin.listGroups())
    .filter((g) => (!states || states.has(g.state.toLowerCase())) && (!types || types.has(g.type.toLowerCase())))
    .sort((a, b) => (a.groupId < b.groupId ? -1 : a.groupId > b.groupId ? 1 : 0))
    .map((g) => ({ group: g.groupId, type: g.type, state: g.state }));
  if (args.output === 'json') await out.stdout(`${JSON.stringify(rows)}\n`);
  else await out.stdout(formatGroupList(rows, has(args, 'type'), has(args, 'state')));
}

// ---------------------------------------------------------------------------------------------
// --describe

async function selectedGroups(admin: Admin, args: ParsedArgs): Promise<string[]> {
  if (has(args, 'all-groups')) return (await admin.listGroups()).map((g) => g.groupId).sort();
  return [...new Set(list(args, 'group'))];
}

/**
 * On a terminal, a rebalancing group is polled (spinner on stderr) until it settles or the wait
 * runs out, instead of printing a half-formed assignment at once.
 */
async function describeSettled(admin: Admin, group: string, io: CommandIO, timeoutMs: number): Promise<GroupDescription> {
  let [d] = await admin.describeGroups([group]);
  if (!REBALANCING.has(d.state) || !io.isTTY) return d;
  const { default: ora } = await import('ora');
  // ora clears its line in a loop over (width / columns) lines: a terminal that reports 0 columns
  // (a pty nobody sized) would loop forever.
  const sized = ((io.stderr as { columns?: number }).columns ?? 0) > 0;
  const spinner = ora({ text: `Waiting for consumer group '${group}' to finish rebalancing...`, stream: io.stderr, color: io.env.NO_COLOR ? false : 'cyan', discardStdin: false, isEnabled: sized }).start();
  const deadline = Date.now() + Math.min(timeoutMs, 15_000);
  try {
    while (REBALANCING.has(d.state) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 250));
      [d] = await admin.describeGroups([group]);
    }
  } finally {
    spinner.stop();
  }
  return d;
}

/** Offsets-view rows: assigned partitions by member (most partitions first), then committed-only ones. */
async function offsetRows(admin: Admin, d: GroupDescription): Promise<OffsetRow[]> {
  const committed = await admin.fetchCommittedOffsets(d.groupId);
  const byTp = (a: TopicPartition, b: TopicPartition) => (a.topic < b.topic ? -1 : a.topic > b.topic ? 1 : a.partition - b.partition);
  const k = (tp: TopicPartition) => `${tp.topic}\u0000${tp.partition}`;
  const entries: Array<{ tp: TopicPartition; consumerId: string; host: string; clientId: string }> = [];
  const assigned = new Set<string>();
  const members = d.members.filter((m) => m.assignment.length > 0).sort((a, b) => b.assignment.length - a.assignment.length);
  for (const m of members) {
    for (const tp of [...m.assignment].sort(byTp)) {
      assigned.add(k(tp));
      entries.push({ tp, consumerId: m.memberId, host: m.host, clientId: m.clientId });
    }
  }
  for (const c of [...committed].sort(byTp)) {
    if (!assigned.has(k(c))) entries.push({ tp: { topic: c.topic, partition: c.partition }, consumerId: '-', host: '-', clientId: '-' });
  }
  if (entries.length === 0) return [];
  let ends: Map<string, number>;
  try {
    ends = new Map((await admin.listOffsets(entries.map((e) => ({ ...e.tp, spec: 'latest' as const })))).map((o) => [k(o), o.offset]));
  } catch {
    // A partition without a log end (deleted topic, no leader) shows '-' instead of failing the view.
    ends = new Map();
    for (const e of entries) {
      const r = await admin.listOffsets([{ ...e.tp, spec: 'latest' }]).catch(() => []);
      if (r[0]) ends.set(k(e.tp), r[0].offset);
    }
  }
  const committedOf = new Map(committed.map((c) => [k(c), c]));
  return entries.map((e) => {
    const c = committedOf.get(k(e.tp));
    const current = c && c.offset >= 0 ? c.offset : null;
    const end = ends.get(k(e.tp)) ?? null;
    return {
      group: d.groupId,
      topic: e.tp.topic,
      partition: e.tp.partition,
      currentOffset: current,
      logEndOffset: end,
      lag: current !== null && end !== null ? end - current : null,
      leaderEpoch: c?.leaderEpoch ?? null,
      consumerId: e.consumerId,
      host: e.host,
      clientId: e.clientId,
    };
  });
}

function doesNotExist(group: string): string {
  return `Consumer group '${group}' does not exist.`;
}

/** The JSON document of `--describe --output json` (documented in docs/consumer-groups-tool.md). */
async function describeJson(admin: Admin, d: GroupDescription) {
  const dead = d.state === 'Dead';
  return {
    group: d.groupId,
    state: d.state,
    type: d.type,
    assignmentStrategy: d.assignmentStrategy || null,
    coordinator: d.coordinator ? { id: d.coordinator.id, host: d.coordinator.host, port: d.coordinator.port } : null,
    error: dead ? doesNotExist(d.groupId) : null,
    members: d.members.map((m) => ({
      consumerId: m.memberId,
      groupInstanceId: m.groupInstanceId,
      clientId: m.clientId,
      host: m.host,
      assignment: [...m.assignment].sort((a, b) => (a.topic < b.topic ? -1 : a.topic > b.topic ? 1 : a.partition - b.partition)),
    })),
    offsets: dead ? [] : (await offsetRows(admin, d)).map(({ group: _g, ...rest }) => rest),
  };
}

async function describeGroups(admin: Admin, args: ParsedArgs, out: Out, timeoutMs: number): Promise<void> {
  const verbose = has(args, 'verbose');
  const json: unknown[] = [];
  // Kafka prints groups in the order of their ids.
  for (const group of (await selectedGroups(admin, args)).sort()) {
    const d = await describeSettled(admin, group, out.io, timeoutMs);
    if (args.output === 'json') {
      const doc = await describeJson(admin, d);
      if (doc.error) out.failed = true;
      json.push(doc);
      continue;
    }
    if (d.state === 'Dead') {
      await out.error(doesNotExist(group));
      continue;
    }
    if (d.state === 'Empty') await out.notice(`Consumer group '${group}' has no active members.`);
    else if (REBALANCING.has(d.state)) await out.notice(`Warning: Consumer group '${group}' is rebalancing.`);
    if (has(args, 'members')) {
      const rows = d.members.map((m) => ({
        group,
        consumerId: m.memberId,
        groupInstanceId: m.groupInstanceId ?? '',
        host: m.host,
        clientId: m.clientId,
        partitions: m.assignment.length,
        assignment: formatAssignment(m.assignment),
      }));
      await out.stdout(formatMembersTable(rows, verbose));
    } else if (has(args, 'state')) {
      const row = { group, coordinator: coordinatorText(d.coordinator), assignmentStrategy: d.assignmentStrategy, state: d.state, members: d.members.length };
      await out.stdout(formatStateTable(row, verbose));
    } else {
      await out.stdout(formatOffsetsTable(await offsetRows(admin, d), verbose));
    }
  }
  if (args.output === 'json') await out.stdout(`${JSON.stringify(json)}\n`);
}

// ---------------------------------------------------------------------------------------------
// --reset-offsets

function resetScope(args: ParsedArgs): ResetScope {
  if (has(args, 'all-topics')) return { kind: 'all-topics' };
  if (has(args, 'topic')) return { kind: 'topics', topics: list(args, 'topic').map(parseTopicArg) };
  if (has(args, 'from-file')) return { kind: 'from-file' };
  throw new UsageError('One of the reset scopes should be defined: --all-topics, --topic.');
}

/** Resolves the scenario once, on first use (see planGroupReset). */
function scenarioResolver(args: ParsedArgs): () => Promise<Scenario> {
  let resolved: Scenario | undefined;
  const resolve = (): Scenario => {
    if (has(args, 'to-offset')) return { kind: 'to-offset', offset: args['to-offset'] as number };
    if (has(args, 'to-earliest')) return { kind: 'to-earliest' };
    if (has(args, 'to-latest')) return { kind: 'to-latest' };
    if (has(args, 'shift-by')) return { kind: 'shift-by', shift: args['shift-by'] as number };
    if (has(args, 'to-datetime')) return { kind: 'to-timestamp', timestamp: parseKafkaDateTime(String(args['to-datetime'])) };
    if (has(args, 'by-duration')) return { kind: 'to-timestamp', timestamp: Date.now() - parseIsoDuration(String(args['by-duration'])) };
    if (has(args, 'from-file')) {
      const path = String(args['from-file']);
      let text: string;
      try {
        text = readFileSync(path, 'utf8');
      } catch (err) {
        throw new KafkitError(`Cannot read the reset plan ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}.`);
      }
      const groups = list(args, 'group');
      return { kind: 'from-file', plan: parseResetCsv(text, groups.length === 1 ? groups[0] : undefined, path) };
    }
    if (has(args, 'to-current')) return { kind: 'to-current' };
    throw new UsageError(`Option '[reset-offsets]' requires one of the following scenarios: [${SCENARIOS.map((s) => `[${s}]`).join(', ')}]`);
  };
  return async () => (resolved ??= resolve());
}

/** Asks on the terminal whether to commit the plan just printed; Ctrl-C (SIGINT) answers 'interrupted'. */
async function confirmReset(io: CommandIO, rows: ResetRow[]): Promise<boolean | 'interrupted'> {
  const { confirm } = await import('@inquirer/prompts');
  const groups = new Set(rows.map((r) => r.group)).size;
  const message = `Commit these ${rows.length} offset(s) for ${groups} group(s)?`;
  // The prompt ends its output stream when done; stderr must stay open for what follows.
  const output = new Writable({ write: (chunk, _encoding, done) => void io.stderr.write(chunk, () => done()) });
  try {
    return await confirm({ message, default: false }, { input: io.stdin, output });
  } catch (err) {
    // The prompt turns Ctrl-C into an ExitPromptError ("User force closed the prompt with SIGINT").
    if ((err as Error).name === 'ExitPromptError') return 'interrupted';
    throw err;
  }
}

async function resetOffsets(admin: Admin, args: ParsedArgs, out: Out): Promise<void> {
  const groups = await selectedGroups(admin, args);
  const scenario = scenarioResolver(args);
  const rows: ResetRow[] = [];
  const planned: string[] = [];
  for (const group of groups) {
    const [d] = await admin.describeGroups([group]);
    if (d.state !== 'Empty' && d.state !== 'Dead') {
      await out.error(`Assignments can only be reset if the group '${group}' is inactive, but the current state is ${d.state}.`);
      continue;
    }
    const plan = await planGroupReset(admin, group, resetScope(args), scenario);
    // Kafka prints these on stdout; on stderr they cannot corrupt an --export plan.
    for (const n of plan.notices) await out.stderr(n);
    for (const w of plan.warnings) await out.stderr(log4jLine('WARN', w));
    if (plan.error) await out.error(plan.error);
    rows.push(...plan.rows);
    planned.push(group);
  }
  // Kafka writes the short CSV form only when exactly one --group was given (not for --all-groups).
  const text = has(args, 'export') ? formatResetCsv(rows, list(args, 'group').length !== 1) : formatResetTable(rows, groups.length > 0);
  if (has(args, 'execute')) {
    // As Kafka: the table is what was done, so it comes after the offsets were written (a full disk prints only the error).
    await commitResets(admin, planned, rows);
    await out.stdout(text);
    return;
  }
  await out.stdout(text);
  let execute = false;
  if (!has(args, 'dry-run') && out.io.isTTY && rows.length > 0) {
    // Kafka announces that a future release will prompt here; on a terminal kafkit already does.
    const answer = await confirmReset(out.io, rows);
    out.interrupted = answer === 'interrupted';
    execute = answer === true;
    if (!execute) await out.stderr(`${out.interrupted ? '\n' : ''}No offsets were changed.\n`);
  }
  if (execute) await commitResets(admin, planned, rows);
}

async function commitResets(admin: Admin, groups: string[], rows: ResetRow[]): Promise<void> {
  for (const group of groups) {
    const offsets = rows.filter((r) => r.group === group).map(({ topic, partition, offset }) => ({ topic, partition, offset }));
    if (offsets.length > 0) await admin.alterCommittedOffsets(group, offsets);
  }
}

/** Kafka's tool log line (`[%d] %p %m (%c)`), used for the clamping warnings it logs. */
function log4jLine(level: string, message: string, now = new Date()): string {
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  const ts = `${now.getFullYear()}-${p(now.getMonth() + 1)}-${p(now.getDate())} ${p(now.getHours())}:${p(now.getMinutes())}:${p(now.getSeconds())},${p(now.getMilliseconds(), 3)}`;
  return `[${ts}] ${level} ${message} (org.apache.kafka.tools.consumer.group.ConsumerGroupCommand)\n`;
}

// ---------------------------------------------------------------------------------------------
// --delete and --delete-offsets

async function deleteGroups(admin: Admin, args: ParsedArgs, out: Out): Promise<void> {
  const results = await admin.deleteGroups(await selectedGroups(admin, args));
  const report = formatDeleteGroups(results.map((r) => ({ group: r.item, error: r.error })));
  if (report.err) {
    out.failed = true;
    await out.stderr(report.err);
  }
  await out.stdout(report.out);
}

async function deleteOffsets(admin: Admin, args: ParsedArgs, out: Out): Promise<void> {
  const groups = list(args, 'group');
  // Kafka reads --group here as a single value; jopt refuses a repeated one.
  if (groups.length > 1) throw new UsageError('Found multiple arguments for option group, but you asked for only one');
  const group = groups[0];
  const rows: DeleteOffsetsRow[] = [];
  const partitions = new Map<string, TopicPartition>();
  for (const arg of new Set(list(args, 'topic'))) {
    const t = parseTopicArg(arg);
    if (t.partitions) {
      for (const partition of t.partitions) partitions.set(`${t.topic}\u0000${partition}`, { topic: t.topic, partition });
      continue;
    }
    try {
      const [desc] = await admin.describeTopics([t.topic]);
      for (const p of desc.partitions) partitions.set(`${t.topic}\u0000${p.partition}`, { topic: t.topic, partition: p.partition });
    } catch (err) {
      rows.push({ topic: t.topic, partition: null, error: err as Error });
    }
  }
  const results = partitions.size > 0 ? await admin.deleteCommittedOffsets(group, [...partitions.values()]) : [];
  for (const r of results) rows.push({ topic: r.item.topic, partition: r.item.partition, error: r.error });
  const topLevel = results.find((r) => r.error)?.error;
  const verdict = deleteOffsetsVerdict(group, topLevel);
  if (rows.some((r) => r.error)) out.failed = true;
  if (verdict.error) await out.error(verdict.message);
  else await out.stdout(`${verdict.message}\n`);
  await out.stdout(formatDeleteOffsetsTable(rows));
}

// ---------------------------------------------------------------------------------------------

function validateRegex(regex: string): { valid: boolean; text: string } {
  try {
    new RegExp(regex, 'u');
    return { valid: true, text: `The regular expression \`${regex}\` is valid.\n` };
  } catch (err) {
    const reason = (err as Error).message.replace(/^Invalid regular expression: \/.*\/u?: /s, '');
    return { valid: false, text: `The regular expression \`${regex}\` is invalid: ${reason}.\n` };
  }
}

/**
 * The command. `client` replaces the connection made from the flags: tests pass an in-memory
 * one, and the handler closes whichever client it used.
 */
export async function handler(args: ParsedArgs, io: CommandIO, client?: KafkaClient): Promise<number> {
  const warnings: string[] = [];
  let action: Action;
  try {
    action = validate(args, io.isTTY, warnings);
  } finally {
    for (const w of warnings) await write(io.stderr, `${w}\n`);
  }
  if (action === 'validate-regex') {
    const r = validateRegex(String(args['validate-regex']));
    await write(io.stdout, r.text);
    return r.valid ? 0 : 1;
  }
  const timeoutMs = (args.timeout as number | undefined) ?? 30_000;
  const properties = typeof args['command-config'] === 'string' ? readPropertiesFile(args['command-config']) : {};
  const out = new Out(io);
  const connected = client ?? (await clientFromArgs(args, io, properties, timeoutMs));
  try {
    const admin = await connected.admin();
    if (action === 'list') await listGroups(admin, args, out);
    else if (action === 'describe') await describeGroups(admin, args, out, timeoutMs);
    else if (action === 'reset-offsets') await resetOffsets(admin, args, out);
    else if (action === 'delete') await deleteGroups(admin, args, out);
    else await deleteOffsets(admin, args, out);
  } catch (err) {
    // IllegalArgumentException-type failures are usage errors in Kafka: message on stderr, exit 1.
    if (err instanceof UsageError) throw err;
    await out.error(`Executing consumer group command failed due to ${toKafkitError(err).message}`);
    if (io.env.KAFKIT_DEBUG && err instanceof Error && err.stack) await write(io.stderr, `${err.stack}\n`);
  } finally {
    await connected.close();
  }
  return out.interrupted ? 130 : out.failed ? 1 : 0;
}

export function main(): Promise<void> {
  return runMain(tool, handler);
}
