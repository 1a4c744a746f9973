// kafka-consumer-groups: list, describe, reset offsets, delete (reference §4, Kafka 4.1).
// Deliberate differences (README): errors go to stderr and exit 1; --output json; a missing group
// is "Consumer group 'g' does not exist."; a spinner while a group rebalances on a TTY.
import { readFileSync } from 'node:fs';
import type { Admin, GroupDescription, GroupState, TopicPartition } from '../client/types.js';
import { KafkitError, UsageError } from '../errors.js';
import { runMain, write, type CommandIO, type ParsedArgs, type ToolSpec } from './cli.js';
import { clientFromArgs, connectionOptions } from './client-args.js';
import { readPropertiesFile } from '../config/properties.js';
import {
  formatAssignment,
  formatDeleteOffsetsTable,
  formatGroupList,
  formatMembersTable,
  formatOffsetsTable,
  formatResetCsv,
  formatResetTable,
  formatStateTable,
  type OffsetRow,
  type ResetRow,
} from '../format/groups.js';
import { parseDateTime, parseDuration, parseResetFile, parseTopicArg, planGroupReset, type Scenario } from './reset-offsets.js';

export const tool: ToolSpec = {
  name: 'kafka-consumer-groups',
  description: 'This tool helps to list, describe, delete and manage the offsets of consumer groups.',
  options: {
    ...connectionOptions,
    'command-config': { type: 'string', arg: 'command config property file', describe: 'Property file containing configs to be passed to Admin Client and Consumer.' },
    timeout: { type: 'number', arg: 'timeout (ms)', defaultDescription: '30000', describe: 'The timeout that can be set for some use cases.' },
    list: { type: 'boolean', describe: 'List all consumer groups.' },
    describe: { type: 'boolean', describe: 'Describe consumer group and list offset lag (number of messages not yet processed) related to given group.' },
    delete: { type: 'boolean', describe: "Pass in groups to delete topic partition offsets and ownership information over the entire consumer group." },
    'reset-offsets': { type: 'boolean', describe: 'Reset offsets of consumer group. Supports one consumer group at the time, and instances should be inactive.' },
    'delete-offsets': { type: 'boolean', describe: 'Delete offsets of consumer group. Supports one consumer group at the time, and multiple topics.' },
    'validate-regex': { type: 'string', arg: 'regex', describe: 'Validate that the syntax of the provided regular expression is valid.' },
    group: { type: 'string', arg: 'consumer group', repeatable: true, describe: 'The consumer group we wish to act on.' },
    'all-groups': { type: 'boolean', describe: 'Apply to all consumer groups.' },
    topic: { type: 'string', arg: 'topic', repeatable: true, describe: 'The topic whose consumer group information should be deleted or topic whose should be included in the reset offset process. In `reset-offsets` case, partitions can be specified using this format: `topic1:0,1,2`.' },
    'all-topics': { type: 'boolean', describe: 'Consider all topics assigned to a group in the `reset-offsets` process.' },
    members: { type: 'boolean', describe: 'Describe members of the group. This option may be used with \'--describe\' and \'--bootstrap-server\' options only.' },
    offsets: { type: 'boolean', describe: 'Describe the group and list all topic partitions in the group along with their offset lag. This is the default sub-action.' },
    state: { type: 'string', arg: 'String', optionalValue: true, describe: 'When specified with \'--describe\', includes the state of the group. When specified with \'--list\', it displays the state of all groups; it can also be used to list groups with specific states (comma-separated).' },
    type: { type: 'string', arg: 'String', optionalValue: true, describe: "When specified with '--list', it displays the types of all the groups. It can also be used to list groups with specific types (classic, consumer)." },
    verbose: { type: 'boolean', describe: 'Provide additional information, if any, when describing the group.' },
    'dry-run': { type: 'boolean', describe: 'Only show results without executing changes on Consumer Groups.' },
    execute: { type: 'boolean', describe: 'Execute operation. Supported operations: reset-offsets.' },
    export: { type: 'boolean', describe: 'Export operation execution to a CSV file.' },
    'to-offset': { type: 'number', arg: 'Long: offset', describe: 'Reset offsets to a specific offset.' },
    'to-earliest': { type: 'boolean', describe: 'Reset offsets to earliest offset.' },
    'to-latest': { type: 'boolean', describe: 'Reset offsets to latest offset.' },
    'to-current': { type: 'boolean', describe: 'Reset offsets to current offset.' },
    'shift-by': { type: 'number', arg: 'Long: number-of-offsets', describe: "Reset offsets shifting current offset by 'n', where 'n' can be positive or negative." },
    'to-datetime': { type: 'string', arg: 'String: datetime', describe: "Reset offsets to offset from datetime. Format: 'YYYY-MM-DDTHH:mm:SS.sss'" },
    'by-duration': { type: 'string', arg: 'String: duration', describe: "Reset offsets to offset by duration from current timestamp. Format: 'PnDTnHnMnS'" },
    'from-file': { type: 'string', arg: 'path to CSV file', describe: 'Reset offsets to values defined in CSV file.' },
    output: { type: 'string', arg: 'format', describe: "kafkit: 'json' prints --list and --describe results as JSON (one document) instead of Kafka's tables." },
  },
};

const ACTIONS = ['list', 'describe', 'delete', 'reset-offsets', 'delete-offsets', 'validate-regex'] as const;
const SCENARIOS = ['to-offset', 'to-datetime', 'by-duration', 'to-earliest', 'to-latest', 'shift-by', 'from-file', 'to-current'] as const;
const STATES: GroupState[] = ['Stable', 'Empty', 'Dead', 'PreparingRebalance', 'CompletingRebalance', 'Assigning', 'Reconciling', 'Unknown'];
const RESET_WARNING =
  'WARN: No action will be performed as the --execute option is missing. In version 5.0, this command will require either --dry-run or --execute to be specified. You should add the --dry-run option explicitly if you are scripting this command and want to keep the current default behavior without prompting.';

const has = (args: ParsedArgs, k: string) => args[k] !== undefined && args[k] !== false;

/** Kafka's start-up checks, in Kafka's order (§4.2). */
export function validate(args: ParsedArgs): { action: (typeof ACTIONS)[number]; warnings: string[] } {
  for (const dep of ['members', 'offsets', 'verbose'] as const) {
    if (has(args, dep) && !has(args, 'describe')) throw new UsageError(`Option(s) [${dep}] are unavailable given other options on the command line`);
  }
  if (has(args, 'state') && !has(args, 'describe') && !has(args, 'list')) throw new UsageError('Option(s) [state] are unavailable given other options on the command line');
  if (has(args, 'type') && !has(args, 'list')) throw new UsageError('Option(s) [type] are unavailable given other options on the command line');
  const groupSel = has(args, 'group') || has(args, 'all-groups');
  const warnings: string[] = [];
  if (has(args, 'describe')) {
    if (!groupSel) throw new UsageError('Option [describe] takes one of these options: [all-groups], [group]');
    if (['members', 'offsets', 'state'].filter((k) => has(args, k)).length > 1) throw new UsageError('Option [describe] takes at most one of these options: [members], [offsets], [state]');
    if (typeof args.state === 'string' && args.state !== '') throw new UsageError('Option [describe] does not take a value for [state]');
  }
  if (has(args, 'delete')) {
    if (!groupSel) throw new UsageError('Option [delete] takes one of these options: [all-groups], [group]');
    if (has(args, 'topic')) throw new UsageError('The consumer does not support topic-specific offset deletion from a consumer group.');
  }
  if (has(args, 'delete-offsets') && (!has(args, 'group') || !has(args, 'topic'))) throw new UsageError('Option [delete-offsets] takes the following options: [group], [topic]');
  if (has(args, 'reset-offsets')) {
    if (has(args, 'dry-run') && has(args, 'execute')) throw new UsageError('Option [reset-offsets] only accepts one of [execute] and [dry-run]');
    if (!has(args, 'dry-run') && !has(args, 'execute')) warnings.push(RESET_WARNING);
    if (!groupSel) throw new UsageError('Option [reset-offsets] takes one of these options: [all-groups], [group]');
    const given = SCENARIOS.filter((s) => has(args, s));
    if (given.length > 1) throw new UsageError(`Option "[${given[0]}]" can't be used with option "[${given[1]}]"`);
  }
  if (has(args, 'group') && has(args, 'all-groups')) throw new UsageError('Option "[group]" can\'t be used with option "[all-groups]"');
  if (has(args, 'group') && has(args, 'list')) throw new UsageError('Option "[group]" can\'t be used with option "[list]"');
  if (has(args, 'topic') && (has(args, 'list') || has(args, 'describe'))) throw new UsageError(`Option "[topic]" can't be used with option "[${has(args, 'list') ? 'list' : 'describe'}]"`);
  if (args.output !== undefined && args.output !== 'json') throw new UsageError(`Unknown --output format '${args.output}': the only format is json.`);
  const actions = ACTIONS.filter((a) => has(args, a));
  if (actions.length !== 1) throw new UsageError('Command must include exactly one action: --list, --describe, --delete, --reset-offsets, --delete-offsets, --validate-regex');
  return { action: actions[0], warnings };
}

/** A run-time failure that Kafka prints as `Error: ...` but that does not stop the other groups. */
class GroupError extends KafkitError {}

async function selectedGroups(admin: Admin, args: ParsedArgs): Promise<string[]> {
  if (has(args, 'all-groups')) return (await admin.listGroups()).map((g) => g.groupId).sort();
  return [...new Set(args.group as string[])].sort();
}

async function list(admin: Admin, args: ParsedArgs, io: CommandIO): Promise<void> {
  const parseFilter = (raw: unknown, valid: string[], what: 'state' | 'types') => {
    if (typeof raw !== 'string' || raw === '') return null;
    const out = raw.split(',').map((s) => s.trim());
    const bad = out.find((s) => !valid.some((v) => v.toLowerCase() === s.toLowerCase()));
    if (bad !== undefined) throw new UsageError(`Invalid ${what} list '${raw}'. Valid ${what === 'state' ? 'states' : 'types'} are: ${valid.join(', ')}`);
    return out.map((s) => s.toLowerCase());
  };
  const states = parseFilter(args.state, STATES, 'state');
  const types = parseFilter(args.type, ['classic', 'consumer'], 'types');
  const rows = (await admin.listGroups())
    .filter((g) => !states || states.includes(g.state.toLowerCase()))
    .filter((g) => !types || types.includes(g.type.toLowerCase()))
    .sort((a, b) => (a.groupId < b.groupId ? -1 : 1))
    .map((g) => ({ group: g.groupId, state: g.state, type: g.type }));
  if (args.output === 'json') return write(io.stdout, `${JSON.stringify(rows)}\n`);
  await write(io.stdout, formatGroupList(rows, args.state !== undefined, args.type !== undefined));
}

const REBALANCING = new Set(['PreparingRebalance', 'CompletingRebalance', 'Assigning', 'Reconciling']);

async function describeWithWait(admin: Admin, group: string, io: CommandIO): Promise<GroupDescription> {
  let [d] = await admin.describeGroups([group]);
  if (!REBALANCING.has(d.state) || !io.isTTY) return d;
  const { default: ora } = await import('ora');
  const spinner = ora({ text: `Consumer group '${group}' is rebalancing...`, stream: io.stderr as NodeJS.WriteStream, color: io.env.NO_COLOR ? undefined : 'cyan' }).start();
  const deadline = Date.now() + 10_000;
  while (REBALANCING.has(d.state) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 200));
    [d] = await admin.describeGroups([group]);
  }
  spinner.stop();
  return d;
}

async function describe(admin: Admin, args: ParsedArgs, io: CommandIO): Promise<number> {
  let failed = false;
  const json: unknown[] = [];
  const asJson = args.output === 'json';
  const verbose = has(args, 'verbose');
  for (const group of await selectedGroups(admin, args)) {
    const d = await describeWithWait(admin, group, io);
    if (d.state === 'Dead') {
      failed = true;
      await write(io.stderr, `\nError: Consumer group '${group}' does not exist.\n`);
      continue;
    }
    if (!asJson) {
      if (d.state === 'Empty') await write(io.stderr, `\nConsumer group '${group}' has no active members.\n`);
      else if (REBALANCING.has(d.state)) await write(io.stderr, `\nWarning: Consumer group '${group}' is rebalancing.\n`);
    }
    if (has(args, 'members')) {
      const rows = d.members.map((m) => ({
        group,
        consumerId: m.memberId,
        groupInstanceId: m.groupInstanceId,
        host: m.host,
        clientId: m.clientId,
        partitions: m.assignment.length,
        assignment: formatAssignment(m.assignment),
      }));
      if (asJson) json.push(...rows);
      else await write(io.stdout, formatMembersTable(rows, group, verbose));
    } else if (has(args, 'state')) {
      const c = d.coordinator;
      const row = {
        group,
        coordinator: c ? `${c.host}:${c.port}  (${c.id})` : '-',
        assignmentStrategy: d.assignmentStrategy,
        state: d.state,
        members: d.members.length,
      };
      if (asJson) json.push(row);
      else await write(io.stdout, formatStateTable(row, verbose));
    } else {
      const rows = await offsetRows(admin, d);
      if (asJson) json.push(...rows);
      else await write(io.stdout, formatOffsetsTable(rows, verbose));
    }
  }
  if (asJson) await write(io.stdout, `${JSON.stringify(json)}\n`);
  return failed ? 1 : 0;
}

async function offsetRows(admin: Admin, d: GroupDescription): Promise<OffsetRow[]> {
  const committed = await admin.fetchCommittedOffsets(d.groupId);
  const members = [...d.members].filter((m) => m.assignment.length > 0).sort((a, b) => b.assignment.length - a.assignment.length);
  const assignedKeys = new Set(members.flatMap((m) => m.assignment.map((tp) => `${tp.topic}\0${tp.partition}`)));
  const entries: Array<{ tp: TopicPartition; consumerId: string; host: string; clientId: string }> = [];
  for (const m of members) {
    const sorted = [...m.assignment].sort((a, b) => (a.topic < b.topic ? -1 : a.topic > b.topic ? 1 : a.partition - b.partition));
    for (const tp of sorted) entries.push({ tp, consumerId: m.memberId, host: m.host, clientId: m.clientId });
  }
  for (const c of committed) {
    if (!assignedKeys.has(`${c.topic}\0${c.partition}`)) entries.push({ tp: { topic: c.topic, partition: c.partition }, consumerId: '-', host: '-', clientId: '-' });
  }
  if (entries.length === 0) return [];
  let ends: Array<number | null>;
  try {
    ends = (await admin.listOffsets(entries.map((e) => ({ ...e.tp, spec: 'latest' as const })))).map((o) => o.offset);
  } catch {
    // A deleted topic has no log end: Kafka prints '-' for it rather than failing the whole view.
    ends = await Promise.all(entries.map(async (e) => admin.listOffsets([{ ...e.tp, spec: 'latest' }]).then((r) => r[0].offset, () => null)));
  }
  return entries.map((e, i) => {
    const c = committed.find((x) => x.topic === e.tp.topic && x.partition === e.tp.partition);
    const current = c ? c.offset : null;
    const end = ends[i];
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

function scenarioOf(args: ParsedArgs, groups: string[]): Scenario {
  if (has(args, 'to-offset')) return { kind: 'to-offset', offset: args['to-offset'] as number };
  if (has(args, 'shift-by')) return { kind: 'shift-by', shift: args['shift-by'] as number };
  if (has(args, 'to-earliest')) return { kind: 'to-earliest' };
  if (has(args, 'to-latest')) return { kind: 'to-latest' };
  if (has(args, 'to-current')) return { kind: 'to-current' };
  if (has(args, 'to-datetime')) return { kind: 'to-datetime', timestamp: parseDateTime(String(args['to-datetime'])) };
  if (has(args, 'by-duration')) return { kind: 'to-datetime', timestamp: Date.now() - parseDuration(String(args['by-duration'])) };
  if (has(args, 'from-file')) {
    return { kind: 'from-file', rows: parseResetFile(readFileSync(String(args['from-file']), 'utf8'), groups.length === 1 ? groups[0] : undefined) };
  }
  throw new UsageError(`Option '[reset-offsets]' requires one of the following scenarios: [[to-offset], [to-datetime], [by-duration], [to-earliest], [to-latest], [shift-by], [from-file], [to-current]]`);
}

async function reset(admin: Admin, args: ParsedArgs, io: CommandIO): Promise<number> {
  const groups = await selectedGroups(admin, args);
  const scenario = scenarioOf(args, groups);
  const topics = ((args.topic as string[] | undefined) ?? []).map(parseTopicArg);
  if (scenario.kind !== 'from-file' && !has(args, 'all-topics') && topics.length === 0) throw new UsageError('One of the reset scopes should be defined: --all-topics, --topic.');
  let failed = false;
  const rows: ResetRow[] = [];
  const processed: string[] = [];
  for (const group of groups) {
    const [d] = await admin.describeGroups([group]);
    if (d.state !== 'Empty' && d.state !== 'Dead') {
      failed = true;
      await write(io.stderr, `\nError: Assignments can only be reset if the group '${group}' is inactive, but the current state is ${d.state}.\n`);
      continue;
    }
    if (scenario.kind === 'from-file' && !scenario.rows.some((r) => r.group === group)) {
      failed = true;
      await write(io.stderr, `\nError: No reset plan for group ${group} found\n`);
      continue;
    }
    const plan = await planGroupReset(admin, group, { allTopics: has(args, 'all-topics'), topics }, scenario);
    for (const w of plan.warnings) await write(w.startsWith('\n') ? io.stdout : io.stderr, w.startsWith('\n') ? `${w}\n` : `WARN: ${w}\n`);
    rows.push(...plan.rows);
    processed.push(group);
  }
  let execute = has(args, 'execute');
  const output = has(args, 'export') ? formatResetCsv(rows, groups.length !== 1) : processed.length > 0 ? formatResetTable(rows) : '';
  if (!execute && !has(args, 'dry-run') && io.isTTY && rows.length > 0) {
    // Kafka says a future release will prompt here; on a terminal kafkit does it now.
    await write(io.stdout, output);
    const { confirm } = await import('@inquirer/prompts');
    execute = await confirm({ message: `Reset ${rows.length} partition offset(s) as shown?`, default: false }, { input: io.stdin as NodeJS.ReadableStream, output: io.stderr as NodeJS.WritableStream });
    if (!execute) await write(io.stderr, 'Nothing was changed.\n');
  } else await write(io.stdout, output);
  if (execute) {
    for (const group of processed) {
      const mine = rows.filter((r) => r.group === group).map((r) => ({ topic: r.topic, partition: r.partition, offset: r.offset }));
      if (mine.length > 0) await admin.alterCommittedOffsets(group, mine);
    }
  }
  return failed ? 1 : 0;
}

async function deleteGroups(admin: Admin, args: ParsedArgs, io: CommandIO): Promise<number> {
  const results = await admin.deleteGroups(await selectedGroups(admin, args));
  const ok = results.filter((r) => !r.error).map((r) => `'${r.item}'`);
  const bad = results.filter((r) => r.error);
  if (bad.length === 0) {
    await write(io.stdout, `Deletion of requested consumer groups (${ok.join(', ')}) was successful.\n`);
    return 0;
  }
  let text = '\nError: Deletion of some consumer groups failed:\n';
  for (const r of bad) text += `* Group '${r.item}' could not be deleted due to: ${r.error!.message}\n`;
  await write(io.stderr, text);
  if (ok.length > 0) await write(io.stdout, `\nThese consumer groups were deleted successfully: ${ok.join(', ')}\n`);
  return 1;
}

async function deleteOffsets(admin: Admin, args: ParsedArgs, io: CommandIO): Promise<number> {
  const group = (args.group as string[])[0];
  const [d] = await admin.describeGroups([group]);
  if (d.state === 'Dead') {
    await write(io.stderr, `\nError: '${group}' does not exist.\n`);
    return 1;
  }
  const partitions: TopicPartition[] = [];
  for (const t of (args.topic as string[]).map(parseTopicArg)) {
    if (t.partitions) for (const p of t.partitions) partitions.push({ topic: t.topic, partition: p });
    else {
      const [desc] = await admin.describeTopics([t.topic]);
      for (const p of desc.partitions) partitions.push({ topic: t.topic, partition: p.partition });
    }
  }
  const results = await admin.deleteCommittedOffsets(group, partitions);
  const failed = results.some((r) => r.error);
  if (failed) await write(io.stderr, '\nError: Encounter some partition level error, see the follow-up details:\n');
  else await write(io.stdout, `Request succeeded for deleting offsets from group ${group}.\n`);
  const rows = results
    .map((r) => ({ topic: r.item.topic, partition: r.item.partition, status: r.error ? `Error: ${r.error.message}` : 'Successful' }))
    .sort((a, b) => (`${a.topic}${a.partition}` < `${b.topic}${b.partition}` ? -1 : 1));
  await write(io.stdout, formatDeleteOffsetsTable(rows));
  return failed ? 1 : 0;
}

export async function handler(args: ParsedArgs, io: CommandIO): Promise<number> {
  const { action, warnings } = validate(args);
  if (action === 'validate-regex') {
    const re = String(args['validate-regex']);
    try {
      new RegExp(re);
      await write(io.stdout, `The regular expression \`${re}\` is valid.\n`);
      return 0;
    } catch (err) {
      await write(io.stdout, `The regular expression \`${re}\` is invalid: ${(err as Error).message}.\n`);
      return 1;
    }
  }
  for (const w of warnings) await write(io.stderr, `${w}\n`);
  const properties = typeof args['command-config'] === 'string' ? readPropertiesFile(args['command-config']) : {};
  const client = await clientFromArgs(args, io, properties, (args.timeout as number | undefined) ?? 30_000);
  try {
    const admin = await client.admin();
    switch (action) {
      case 'list':
        await list(admin, args, io);
        return 0;
      case 'describe':
        return await describe(admin, args, io);
      case 'reset-offsets':
        return await reset(admin, args, io);
      case 'delete':
        return await deleteGroups(admin, args, io);
      default:
        return await deleteOffsets(admin, args, io);
    }
  } catch (err) {
    if (err instanceof UsageError || err instanceof GroupError) throw err;
    const message = err instanceof Error ? err.message : String(err);
    await write(io.stderr, `\nError: Executing consumer group command failed due to ${message}\n`);
    return 1;
  } finally {
    await client.close();
  }
}

export function main(): Promise<void> {
  return runMain(tool, handler);
}
