import { afterEach, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as producer from '../../src/commands/kafka-console-producer.js';
import * as consumer from '../../src/commands/kafka-console-consumer.js';
import * as groups from '../../src/commands/kafka-consumer-groups.js';
import * as topics from '../../src/commands/kafka-topics.js';
import { formatMembersTable, formatOffsetsTable, formatStateTable } from '../../src/format/groups.js';
import { cleanTempDirs, run, tempDir } from '../helpers.js';

afterEach(cleanTempDirs);

/** A data dir with topic t (2 partitions, 5 records each) and group g having consumed 3 of each. */
async function setup() {
  const dir = tempDir();
  await run(topics, ['--create', '--topic', 't', '--partitions', '2'], dir);
  // keys 'abc' and '21' hash to partitions 1 and 0 of 2 (reference §7.1)
  const keyed = Array.from({ length: 10 }, (_, i) => `${i % 2 === 0 ? 'abc' : '21'}\tv${i}`).join('\n');
  await run(producer, ['--topic', 't', '--property', 'parse.key=true'], dir, keyed);
  await run(consumer, ['--topic', 't', '--from-beginning', '--group', 'g', '--max-messages', '6'], dir);
  return dir;
}

describe('kafka-consumer-groups', () => {
  it('describes offsets and lag of an empty group with Kafka widths', async () => {
    const dir = await setup();
    const r = await run(groups, ['--describe', '--group', 'g'], dir);
    expect(r.stderr).toBe("\nConsumer group 'g' has no active members.\n");
    const lines = r.stdout.split('\n');
    expect(lines[1]).toBe('GROUP           TOPIC           PARTITION  CURRENT-OFFSET  LOG-END-OFFSET  LAG             CONSUMER-ID     HOST            CLIENT-ID');
    const total = lines.slice(2, 4).map((l) => l.split(/\s+/)).reduce((s, c) => s + Number(c[5]), 0);
    expect(total).toBe(4);
    expect(r.code).toBe(0);
  });

  it('lists groups, with --state columns', async () => {
    const dir = await setup();
    expect((await run(groups, ['--list'], dir)).stdout).toBe('g\n');
    expect((await run(groups, ['--list', '--state'], dir)).stdout).toBe(`${'GROUP'.padEnd(25)} ${'STATE'.padEnd(20)}\n${'g'.padEnd(25)} ${'Empty'.padEnd(20)}\n`);
    expect((await run(groups, ['--list', '--state', 'stable'], dir)).stdout).toBe(`${'GROUP'.padEnd(25)} ${'STATE'.padEnd(20)}\n`);
    expect((await run(groups, ['--list', '--state', 'bogus'], dir)).stderr).toBe(
      "Invalid state list 'bogus'. Valid states are: Stable, Empty, Dead, PreparingRebalance, CompletingRebalance, Assigning, Reconciling, Unknown\n",
    );
  });

  it('says a missing group does not exist and exits 1', async () => {
    const dir = tempDir();
    expect(await run(groups, ['--describe', '--group', 'nope'], dir)).toEqual({ code: 1, stdout: '', stderr: "\nError: Consumer group 'nope' does not exist.\n" });
  });

  it('resets offsets: dry run by default, then every scenario with clamping', async () => {
    const dir = await setup();
    const before = (await run(groups, ['--describe', '--group', 'g', '--output', 'json'], dir)).stdout;
    const dry = await run(groups, ['--reset-offsets', '--group', 'g', '--topic', 't', '--to-earliest'], dir);
    expect(dry.stderr).toMatch(/^WARN: No action will be performed as the --execute option is missing\./);
    expect(dry.stdout).toBe(
      `\n${'GROUP'.padEnd(30)} ${'TOPIC'.padEnd(30)} ${'PARTITION'.padEnd(10)} ${'NEW-OFFSET'.padEnd(15)}\n${'g'.padEnd(30)} ${'t'.padEnd(30)} ${'0'.padEnd(10)} ${'0'.padEnd(15)}\n${'g'.padEnd(30)} ${'t'.padEnd(30)} ${'1'.padEnd(10)} ${'0'.padEnd(15)}\n`,
    );
    expect((await run(groups, ['--describe', '--group', 'g', '--output', 'json'], dir)).stdout).toBe(before);
    await run(groups, ['--reset-offsets', '--group', 'g', '--topic', 't:0', '--to-offset', '2', '--execute'], dir);
    const off = async () => JSON.parse((await run(groups, ['--describe', '--group', 'g', '--output', 'json'], dir)).stdout).map((r: { partition: number; currentOffset: number }) => [r.partition, r.currentOffset]);
    expect((await off()).find((x: number[]) => x[0] === 0)).toEqual([0, 2]);
    const shift = await run(groups, ['--reset-offsets', '--group', 'g', '--topic', 't:0', '--shift-by', '100', '--execute'], dir);
    expect(shift.stderr).toBe('WARN: New offset (102) is higher than latest offset for topic partition t-0. Value will be set to 5\n');
    expect((await off()).find((x: number[]) => x[0] === 0)).toEqual([0, 5]);
    const exported = await run(groups, ['--reset-offsets', '--group', 'g', '--all-topics', '--to-earliest', '--dry-run', '--export'], dir);
    expect(exported.stdout).toBe('t,0,0\nt,1,0\n\n');
    const file = join(dir, 'plan.csv');
    writeFileSync(file, 't,0,1\nt,1,4\n');
    await run(groups, ['--reset-offsets', '--group', 'g', '--from-file', file, '--execute'], dir);
    expect(await off()).toEqual([[0, 1], [1, 4]]);
    await run(groups, ['--reset-offsets', '--group', 'g', '--all-topics', '--to-datetime', '2999-01-01T00:00:00.000', '--execute'], dir);
    expect(await off()).toEqual([[0, 5], [1, 5]]);
    await run(groups, ['--reset-offsets', '--group', 'g', '--all-topics', '--by-duration', 'P3650D', '--execute'], dir);
    expect(await off()).toEqual([[0, 0], [1, 0]]);
    expect((await run(groups, ['--reset-offsets', '--group', 'g', '--to-earliest'], dir)).stderr).toMatch(/One of the reset scopes should be defined: --all-topics, --topic\.\n$/);
    expect((await run(groups, ['--reset-offsets', '--group', 'g', '--to-earliest', '--to-latest', '--all-topics', '--dry-run'], dir)).stderr).toBe(
      'Option "[to-earliest]" can\'t be used with option "[to-latest]"\n',
    );
  });

  it('deletes offsets and groups', async () => {
    const dir = await setup();
    const del = await run(groups, ['--delete-offsets', '--group', 'g', '--topic', 't:1'], dir);
    expect(del.stdout).toBe(`Request succeeded for deleting offsets from group g.\n\n${'TOPIC'.padEnd(15)} ${'PARTITION'.padEnd(10)} ${'STATUS'.padEnd(15)}\n${'t'.padEnd(15)} ${'1'.padEnd(10)} ${'Successful'.padEnd(15)}\n`);
    expect(await run(groups, ['--delete', '--group', 'g'], dir)).toEqual({ code: 0, stdout: "Deletion of requested consumer groups ('g') was successful.\n", stderr: '' });
    expect((await run(groups, ['--list'], dir)).stdout).toBe('');
    const missing = await run(groups, ['--delete', '--group', 'g'], dir);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toBe("\nError: Deletion of some consumer groups failed:\n* Group 'g' could not be deleted due to: Group 'g' does not exist.\n");
  });

  it('validates in Kafka order', async () => {
    const dir = tempDir();
    const err = async (argv: string[]) => (await run(groups, argv, dir)).stderr;
    expect(await err(['--describe'])).toBe('Option [describe] takes one of these options: [all-groups], [group]\n');
    expect(await err(['--describe', '--group', 'g', '--members', '--state'])).toBe('Option [describe] takes at most one of these options: [members], [offsets], [state]\n');
    expect(await err(['--list', '--members'])).toBe('Option(s) [members] are unavailable given other options on the command line\n');
    expect(await err(['--delete', '--group', 'g', '--topic', 't'])).toBe('The consumer does not support topic-specific offset deletion from a consumer group.\n');
    expect(await err(['--reset-offsets', '--group', 'g', '--dry-run', '--execute'])).toBe('Option [reset-offsets] only accepts one of [execute] and [dry-run]\n');
    expect(await err(['--list', '--group', 'g'])).toBe('Option "[group]" can\'t be used with option "[list]"\n');
    expect(await err(['--group', 'g'])).toBe('Command must include exactly one action: --list, --describe, --delete, --reset-offsets, --delete-offsets, --validate-regex\n');
  });
});

describe('group table formatters', () => {
  it('sizes columns to the longest value with a floor of 15', () => {
    expect(
      formatOffsetsTable([{ group: 'a-much-longer-group', topic: 't', partition: 0, currentOffset: null, logEndOffset: 7, lag: null, consumerId: 'c', host: '/127.0.0.1', clientId: 'cl' }]),
    ).toBe(
      `\n${'GROUP'.padEnd(19)} ${'TOPIC'.padEnd(15)} PARTITION  CURRENT-OFFSET  LOG-END-OFFSET  LAG             ${'CONSUMER-ID'.padEnd(15)} ${'HOST'.padEnd(15)} CLIENT-ID\na-much-longer-group ${'t'.padEnd(15)} 0          -               7               -               ${'c'.padEnd(15)} ${'/127.0.0.1'.padEnd(15)} cl\n`,
    );
    expect(formatMembersTable([{ group: 'g', consumerId: 'c-1', groupInstanceId: null, host: '/127.0.0.1', clientId: 'x', partitions: 2, assignment: 't:0,1' }], 'g')).toBe(
      `\n${'GROUP'.padEnd(15)} ${'CONSUMER-ID'.padEnd(15)} ${'HOST'.padEnd(15)} ${'CLIENT-ID'.padEnd(15)} ${'#PARTITIONS'.padEnd(15)} \n${'g'.padEnd(15)} ${'c-1'.padEnd(15)} ${'/127.0.0.1'.padEnd(15)} ${'x'.padEnd(15)} ${'2'.padEnd(15)} \n`,
    );
    expect(formatStateTable({ group: 'g', coordinator: '127.0.0.1:9092  (1)', assignmentStrategy: 'range', state: 'Stable', members: 2 })).toBe(
      `\n${'GROUP'.padEnd(15)} ${'COORDINATOR (ID)'.padEnd(25)} ${'ASSIGNMENT-STRATEGY'.padEnd(20)} ${'STATE'.padEnd(20)} #MEMBERS\n${'g'.padEnd(15)} ${'127.0.0.1:9092  (1)'.padEnd(25)} ${'range'.padEnd(20)} ${'Stable'.padEnd(20)} 2\n`,
    );
  });
});
