// kafka-consumer-groups --reset-offsets against an in-memory Admin: scopes, every scenario,
// clamping, dry-run/execute/export/from-file, the active-group refusal and the TTY prompt.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import * as golden from './kafka-consumer-groups-golden.js';
import { groups, member, type FakeCluster } from './kafka-consumer-groups-fake.js';

const T0 = Date.UTC(2020, 0, 1); // 2020-01-01T00:00:00Z
const NOW = Date.now();
const HOUR = 3_600_000;

function cluster(): FakeCluster {
  return {
    topics: {
      orders: { start: [0, 0, 0], end: [10, 20, 30] },
      compacted: { start: [5], end: [9] },
      // p0: one record a minute from T0; p1: nothing.
      events: { start: [0, 0], end: [5, 0], timestamps: [[0, 1, 2, 3, 4].map((i) => T0 + i * 60_000), []] },
      recent: { start: [0], end: [4], timestamps: [[NOW - 3 * HOUR, NOW - 2 * HOUR, NOW - HOUR, NOW]] },
    },
    groups: {
      idle: { state: 'Empty', offsets: { 'orders:0': { offset: 5 }, 'orders:1': { offset: 15 } } },
      nothing: { state: 'Empty' },
      app: { state: 'Stable', members: [member('c-1', [['orders', 0]])] },
    },
    altered: [],
  };
}

/** One plan row as Kafka 4.1 prints it: `%n%-30s %-30s %-10s %-15s`. */
const row = (g: string, t: string, p: number, o: number) => `\n${g.padEnd(30)} ${t.padEnd(30)} ${String(p).padEnd(10)} ${String(o).padEnd(15)}`;
const table = (...rows: string[]) => `${golden.resetHeaderOnly.slice(0, -1)}${rows.join('')}\n`;
/** Kafka's WARN log lines, with the timestamp blanked. */
const warnLines = (stderr: string) => stderr.replace(/^\[\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3}\] /gm, '[ts] ');
const LOGGER = '(org.apache.kafka.tools.consumer.group.ConsumerGroupCommand)';

const dirs: string[] = [];
function file(text: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'kafkit-reset-'));
  dirs.push(dir);
  const path = join(dir, 'plan.csv');
  writeFileSync(path, text);
  return path;
}
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('--reset-offsets scenarios (dry run)', () => {
  it('--to-earliest over a whole topic prints the plan table and changes nothing', async () => {
    const c = cluster();
    const r = await groups(c, ['--reset-offsets', '--group', 'idle', '--topic', 'orders', '--to-earliest', '--dry-run']);
    expect(r).toEqual({ code: 0, stdout: golden.resetIdleEarliest, stderr: '' });
    expect(c.altered).toEqual([]);
  });

  it('--to-latest over chosen partitions', async () => {
    const r = await groups(cluster(), ['--reset-offsets', '--group', 'idle', '--topic', 'orders:0,2', '--to-latest', '--dry-run']);
    expect(r.stdout).toBe(table(row('idle', 'orders', 0, 10), row('idle', 'orders', 2, 30)));
  });

  it('--to-current keeps committed offsets and moves the others to the log end', async () => {
    const r = await groups(cluster(), ['--reset-offsets', '--group', 'idle', '--topic', 'orders', '--to-current', '--dry-run']);
    expect(r.stdout).toBe(table(row('idle', 'orders', 0, 5), row('idle', 'orders', 1, 15), row('idle', 'orders', 2, 30)));
  });

  it('--all-topics covers only partitions with a committed offset', async () => {
    const r = await groups(cluster(), ['--reset-offsets', '--group', 'idle', '--all-topics', '--to-earliest', '--dry-run']);
    expect(r.stdout).toBe(table(row('idle', 'orders', 0, 0), row('idle', 'orders', 1, 0)));
  });

  it('--to-offset clamps to the log end with Kafka\'s warning', async () => {
    const r = await groups(cluster(), ['--reset-offsets', '--group', 'idle', '--topic', 'orders', '--to-offset', '25', '--dry-run']);
    expect(r.stdout).toBe(table(row('idle', 'orders', 0, 10), row('idle', 'orders', 1, 20), row('idle', 'orders', 2, 25)));
    expect(warnLines(r.stderr)).toBe(
      `[ts] WARN New offset (25) is higher than latest offset for topic partition orders-0. Value will be set to 10 ${LOGGER}\n` +
        `[ts] WARN New offset (25) is higher than latest offset for topic partition orders-1. Value will be set to 20 ${LOGGER}\n`,
    );
  });

  it('--to-offset clamps to the log start with Kafka\'s warning', async () => {
    const r = await groups(cluster(), ['--reset-offsets', '--group', 'idle', '--topic', 'compacted', '--to-offset', '1', '--dry-run']);
    expect(r.stdout).toBe(table(row('idle', 'compacted', 0, 5)));
    expect(warnLines(r.stderr)).toBe(`[ts] WARN New offset (1) is lower than earliest offset for topic partition compacted-0. Value will be set to 5 ${LOGGER}\n`);
  });

  it('--shift-by moves committed offsets, clamped', async () => {
    const r = await groups(cluster(), ['--reset-offsets', '--group', 'idle', '--topic', 'orders:0,1', '--shift-by', '-10', '--dry-run']);
    expect(r.stdout).toBe(table(row('idle', 'orders', 0, 0), row('idle', 'orders', 1, 5)));
    expect(warnLines(r.stderr)).toBe(`[ts] WARN New offset (-5) is lower than earliest offset for topic partition orders-0. Value will be set to 0 ${LOGGER}\n`);
  });

  it('--shift-by refuses a partition without a committed offset', async () => {
    expect(await groups(cluster(), ['--reset-offsets', '--group', 'idle', '--topic', 'orders', '--shift-by', '1', '--dry-run'])).toEqual({
      code: 1,
      stdout: '',
      stderr: 'Cannot shift offset for partition orders-2 since there is no current committed offset\n',
    });
  });

  it('--to-datetime finds the first offset at or after the instant; no zone means UTC', async () => {
    for (const when of ['2020-01-01T00:02:00.000', '2020-01-01T00:02:00.000Z', '2020-01-01T01:02:00.000+01:00', '2020-01-01T01:02:00.000+0100', '2019-12-31T23:01:30.000-01']) {
      const r = await groups(cluster(), ['--reset-offsets', '--group', 'idle', '--topic', 'events:0', '--to-datetime', when, '--dry-run']);
      expect(r.stdout, when).toBe(table(row('idle', 'events', 0, 2)));
    }
  });

  it('--to-datetime falls back to the log end for a partition with nothing that recent', async () => {
    const r = await groups(cluster(), ['--reset-offsets', '--group', 'idle', '--topic', 'events', '--to-datetime', '2020-01-01T00:00:30.000', '--dry-run']);
    expect(r.stdout).toBe(table(row('idle', 'events', 0, 1), row('idle', 'events', 1, 0)));
    expect(r.stderr).toBe('\nWarn: Partition 1 from topic events is empty. Falling back to latest known offset.\n');
  });

  it('--by-duration counts back from now', async () => {
    const r = await groups(cluster(), ['--reset-offsets', '--group', 'idle', '--topic', 'recent', '--by-duration', 'PT1H30M', '--dry-run']);
    expect(r.stdout).toBe(table(row('idle', 'recent', 0, 2)));
    const days = await groups(cluster(), ['--reset-offsets', '--group', 'idle', '--topic', 'recent', '--by-duration', 'P1DT0H', '--dry-run']);
    expect(days.stdout).toBe(table(row('idle', 'recent', 0, 0)));
  });

  it('reports unparseable dates and durations as Kafka does, exiting 1', async () => {
    const run = (flag: string, value: string) => groups(cluster(), ['--reset-offsets', '--group', 'idle', '--topic', 'orders', flag, value, '--dry-run']);
    const failed = (text: string) => ({ code: 1, stdout: '', stderr: `\nError: Executing consumer group command failed due to ${text}\n` });
    expect(await run('--to-datetime', '2020-13-01T00:00:00.000')).toEqual(failed('java.text.ParseException: Unparseable date: "2020-13-01T00:00:00.000Z"'));
    expect(await run('--to-datetime', '2020-01-01T00:00:00')).toEqual(failed('java.text.ParseException: Unparseable date: "2020-01-01T00:00:00Z"'));
    expect(await run('--to-datetime', '2020-01-01')).toEqual(failed("java.text.ParseException: Error parsing timestamp. It does not contain a 'T' according to ISO8601 format"));
    expect(await run('--by-duration', '1 hour')).toEqual(failed('Text cannot be parsed to a Duration'));
    expect(await run('--by-duration', 'PT')).toEqual(failed('Text cannot be parsed to a Duration'));
  });
});

describe('--reset-offsets execution modes', () => {
  it('without --dry-run or --execute (no terminal): Kafka\'s warning and a dry run', async () => {
    const c = cluster();
    const r = await groups(c, ['--reset-offsets', '--group', 'idle', '--topic', 'orders', '--to-earliest']);
    expect(r.stdout).toBe(golden.resetIdleEarliest);
    expect(r.stderr).toMatch(/^WARN: No action will be performed as the --execute option is missing\. In version 5\.0/);
    expect(c.altered).toEqual([]);
  });

  it('--execute commits the plan and prints the same table', async () => {
    const c = cluster();
    const r = await groups(c, ['--reset-offsets', '--group', 'idle', '--topic', 'orders', '--to-earliest', '--execute']);
    expect(r).toEqual({ code: 0, stdout: golden.resetIdleEarliest, stderr: '' });
    expect(c.altered).toEqual([{ group: 'idle', offsets: [0, 1, 2].map((partition) => ({ topic: 'orders', partition, offset: 0 })) }]);
  });

  it('resets a group that does not exist yet (Kafka 4.x allows it)', async () => {
    const c = cluster();
    const r = await groups(c, ['--reset-offsets', '--group', 'fresh', '--topic', 'orders:1', '--to-offset', '7', '--execute']);
    expect(r.stdout).toBe(table(row('fresh', 'orders', 1, 7)));
    expect(c.groups.fresh.offsets).toEqual({ 'orders:1': { offset: 7 } });
  });

  it('refuses an active group with Kafka\'s message, still printing the header, and exits 1', async () => {
    const c = cluster();
    const r = await groups(c, ['--reset-offsets', '--group', 'app', '--topic', 'orders', '--to-earliest', '--execute']);
    expect(r).toEqual({ code: 1, stdout: golden.resetHeaderOnly, stderr: "\nError: Assignments can only be reset if the group 'app' is inactive, but the current state is Stable.\n" });
    expect(c.altered).toEqual([]);
  });

  it('--all-groups resets every inactive group and refuses the active ones', async () => {
    const c = cluster();
    const r = await groups(c, ['--reset-offsets', '--all-groups', '--topic', 'compacted', '--to-latest', '--execute']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe(table(row('idle', 'compacted', 0, 9), row('nothing', 'compacted', 0, 9)));
    expect(r.stderr).toBe("\nError: Assignments can only be reset if the group 'app' is inactive, but the current state is Stable.\n");
    expect(c.altered.map((a) => a.group)).toEqual(['idle', 'nothing']);
  });

  it('prints a lone empty line when --all-groups finds no group', async () => {
    expect(await groups({ topics: {}, groups: {}, altered: [] }, ['--reset-offsets', '--all-groups', '--all-topics', '--to-earliest', '--dry-run'])).toEqual({ code: 0, stdout: '\n', stderr: '' });
  });

  it('needs a scope, a scenario, valid topic args and existing partitions', async () => {
    const run = (...extra: string[]) => groups(cluster(), ['--reset-offsets', '--group', 'idle', '--dry-run', ...extra]);
    expect((await run('--to-earliest')).stderr).toBe('One of the reset scopes should be defined: --all-topics, --topic.\n');
    expect((await run('--topic', 'orders')).stderr).toBe(
      "Option '[reset-offsets]' requires one of the following scenarios: [[to-offset], [shift-by], [to-datetime], [by-duration], [to-earliest], [to-latest], [to-current], [from-file]]\n",
    );
    expect((await run('--topic', 'orders:a', '--to-earliest')).stderr).toBe("Invalid partition 'a' specified in topic arg 'orders:a''\n");
    expect((await run('--topic', 'orders:0:1', '--to-earliest')).stderr).toBe("Invalid topic arg 'orders:0:1', expected topic name and partitions\n");
    expect((await run('--topic', 'orders:', '--to-earliest')).stderr).toBe("Invalid topic arg 'orders:', expected topic name and partitions\n");
    const missing = await run('--topic', 'orders:1,7', '--to-earliest');
    expect(missing).toEqual({ code: 1, stdout: '', stderr: '\nError: Executing consumer group command failed due to The partitions "orders-7" do not exist\n' });
  });

  it('the active-group check comes before the scope check, as in Kafka', async () => {
    const r = await groups(cluster(), ['--reset-offsets', '--group', 'app', '--to-earliest', '--dry-run']);
    expect(r).toEqual({ code: 1, stdout: golden.resetHeaderOnly, stderr: "\nError: Assignments can only be reset if the group 'app' is inactive, but the current state is Stable.\n" });
  });
});

describe('--reset-offsets --export and --from-file', () => {
  it('--export prints topic,partition,offset for one group, then an empty line', async () => {
    const r = await groups(cluster(), ['--reset-offsets', '--group', 'idle', '--topic', 'orders', '--to-latest', '--dry-run', '--export']);
    expect(r).toEqual({ code: 0, stdout: 'orders,0,10\norders,1,20\norders,2,30\n\n', stderr: '' });
  });

  it('--export adds the group column for several groups', async () => {
    const r = await groups(cluster(), ['--reset-offsets', '--group', 'idle', '--group', 'nothing', '--topic', 'compacted', '--to-earliest', '--dry-run', '--export']);
    expect(r.stdout).toBe('idle,compacted,0,5\nnothing,compacted,0,5\n\n');
  });

  it('--from-file applies a one-group plan, clamped, and needs no scope', async () => {
    const c = cluster();
    const r = await groups(c, ['--reset-offsets', '--group', 'idle', '--from-file', file('orders,0,3\norders,1,50\n'), '--execute']);
    expect(r.stdout).toBe(table(row('idle', 'orders', 0, 3), row('idle', 'orders', 1, 20)));
    expect(warnLines(r.stderr)).toBe(`[ts] WARN New offset (50) is higher than latest offset for topic partition orders-1. Value will be set to 20 ${LOGGER}\n`);
    expect(c.groups.idle.offsets).toEqual({ 'orders:0': { offset: 3 }, 'orders:1': { offset: 20 } });
  });

  it('--from-file with groups reports a group missing from the plan', async () => {
    const r = await groups(cluster(), ['--reset-offsets', '--group', 'idle', '--group', 'nothing', '--from-file', file('idle,orders,0,1\n'), '--dry-run']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe(table(row('idle', 'orders', 0, 1)));
    expect(r.stderr).toBe('\nError: No reset plan for group nothing found\n');
  });

  it('an exported plan reads back unchanged', async () => {
    const exported = await groups(cluster(), ['--reset-offsets', '--group', 'idle', '--group', 'nothing', '--topic', 'orders:2', '--to-offset', '12', '--dry-run', '--export']);
    const c = cluster();
    const r = await groups(c, ['--reset-offsets', '--group', 'idle', '--group', 'nothing', '--from-file', file(exported.stdout), '--execute']);
    expect(r.stdout).toBe(table(row('idle', 'orders', 2, 12), row('nothing', 'orders', 2, 12)));
    expect(c.altered).toEqual([
      { group: 'idle', offsets: [{ topic: 'orders', partition: 2, offset: 12 }] },
      { group: 'nothing', offsets: [{ topic: 'orders', partition: 2, offset: 12 }] },
    ]);
  });

  it('names the bad line of a malformed plan', async () => {
    const path = file('orders,0,3\norders,x,1\n');
    const r = await groups(cluster(), ['--reset-offsets', '--group', 'idle', '--from-file', path, '--dry-run']);
    expect(r.stderr).toBe(`\nError: Executing consumer group command failed due to Invalid line 2 in reset plan ${path}: 'orders,x,1'; expected topic,partition,offset.\n`);
  });
});

describe('--reset-offsets on a terminal', () => {
  const argv = ['--reset-offsets', '--group', 'idle', '--topic', 'orders', '--to-earliest'];

  it('prints the plan, asks, and executes on yes (no dry-run warning)', async () => {
    const c = cluster();
    const r = await groups(c, argv, { isTTY: true, answer: 'y\n', env: { NO_COLOR: '1' } });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(golden.resetIdleEarliest);
    expect(r.stderr).not.toContain('WARN');
    expect(r.stderr).toContain('Commit these 3 offset(s) for 1 group(s)?');
    expect(c.altered).toHaveLength(1);
  });

  it('changes nothing on no', async () => {
    const c = cluster();
    const r = await groups(c, argv, { isTTY: true, answer: 'n\n', env: { NO_COLOR: '1' } });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('No offsets were changed.');
    expect(c.altered).toEqual([]);
  });

  it('does not ask with --dry-run', async () => {
    const c = cluster();
    const r = await groups(c, [...argv, '--dry-run'], { isTTY: true, env: { NO_COLOR: '1' } });
    expect(r).toEqual({ code: 0, stdout: golden.resetIdleEarliest, stderr: '' });
  });
});
