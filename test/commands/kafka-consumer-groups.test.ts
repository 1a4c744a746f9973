// kafka-consumer-groups against an in-memory Admin: every view, message and exit code (§4).
import { describe, expect, it } from 'vitest';
import * as golden from './kafka-consumer-groups-golden.js';
import { groups, member, type FakeCluster } from './kafka-consumer-groups-fake.js';

const M1 = 'console-consumer-0f2c9a1e-5b7d-4e8a-9c3b-1d2e3f4a5b6c';
const M2 = 'console-consumer-9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d';
const M3 = 'console-consumer-11111111-2222-4333-8444-555555555555';
const P = 'payments-eu-west-1-long-topic-name';

function cluster(): FakeCluster {
  return {
    topics: {
      orders: { start: [0, 0, 0], end: [10, 20, 30] },
      [P]: { start: [0], end: [7] },
    },
    groups: {
      app: {
        state: 'Stable',
        strategy: 'range',
        members: [member(M2, [[P, 0]]), member(M1, [['orders', 2], ['orders', 0]]), member(M3, [])],
        offsets: { 'orders:0': { offset: 8 }, 'orders:2': { offset: 30 }, 'orders:1': { offset: 15 } },
      },
      idle: { state: 'Empty', offsets: { 'orders:1': { offset: 5, leaderEpoch: 3 } } },
      nothing: { state: 'Empty' },
      moving: { state: 'PreparingRebalance', members: [member(M3, [])] },
    },
    altered: [],
  };
}

describe('kafka-consumer-groups --list', () => {
  it('prints bare group ids without --state/--type', async () => {
    const r = await groups(cluster(), ['--list']);
    expect(r).toEqual({ code: 0, stdout: 'app\nidle\nmoving\nnothing\n', stderr: '' });
  });

  it('prints the GROUP/STATE table with --state, GROUP padded to max(15, longest) + 10', async () => {
    expect((await groups(cluster(), ['--list', '--state'])).stdout).toBe(golden.listState);
    expect((await groups(cluster(), ['--list', '--state', '--type'])).stdout).toBe(golden.listTypeState);
  });

  it('filters by state case-insensitively and by type', async () => {
    expect((await groups(cluster(), ['--list', '--state', 'empty'])).stdout).toBe(golden.listStateEmpty);
    const r = await groups(cluster(), ['--list', '--type', 'consumer']);
    expect(r.stdout).toBe(`${'GROUP'.padEnd(25)} ${'TYPE'.padEnd(20)}\n`);
  });

  it('prints only the header when no group matches', async () => {
    expect((await groups({ topics: {}, groups: {}, altered: [] }, ['--list', '--state'])).stdout).toBe(golden.listNoGroups);
    expect((await groups({ topics: {}, groups: {}, altered: [] }, ['--list'])).stdout).toBe('');
  });

  it('rejects an unknown state or type as a usage error', async () => {
    expect(await groups(cluster(), ['--list', '--state', 'Stable,Sleeping'])).toEqual({
      code: 1,
      stdout: '',
      stderr: "Invalid state list 'Stable,Sleeping'. Valid states are: PreparingRebalance, CompletingRebalance, Stable, Dead, Empty, Assigning, Reconciling\n",
    });
    expect((await groups(cluster(), ['--list', '--type', 'share'])).stderr).toBe("Invalid types list 'share'. Valid types are: Classic, Consumer\n");
  });

  it('--output json gives every group with its type and state', async () => {
    const r = await groups(cluster(), ['--list', '--output', 'json']);
    // One line, as kafka-topics --output json prints it.
    expect(r.stdout.startsWith('[{"group":"app","type":"Classic","state":"Stable"},')).toBe(true);
    expect(r.stdout.indexOf('\n')).toBe(r.stdout.length - 1);
    expect(JSON.parse(r.stdout)).toEqual([
      { group: 'app', type: 'Classic', state: 'Stable' },
      { group: 'idle', type: 'Classic', state: 'Empty' },
      { group: 'moving', type: 'Classic', state: 'PreparingRebalance' },
      { group: 'nothing', type: 'Classic', state: 'Empty' },
    ]);
  });
});

describe('kafka-consumer-groups --describe (offsets view)', () => {
  it('prints assigned rows by member (most partitions first), then committed-only rows with -', async () => {
    const r = await groups(cluster(), ['--describe', '--group', 'idle', '--group', 'app']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(golden.describeAppIdle);
    expect(r.stderr).toBe("\nConsumer group 'idle' has no active members.\n");
  });

  it('matches the reference example for an empty group with one committed partition', async () => {
    const c = cluster();
    c.topics.t = { start: [0], end: [10] };
    c.groups.g = { state: 'Empty', offsets: { 't:0': { offset: 5 } } };
    const r = await groups(c, ['--describe', '--group', 'g']);
    expect(r.stdout).toBe(
      '\nGROUP           TOPIC           PARTITION  CURRENT-OFFSET  LOG-END-OFFSET  LAG             CONSUMER-ID     HOST            CLIENT-ID' +
        '\ng               t               0          5               10              5               -               -               -\n',
    );
    expect(r.stderr).toBe("\nConsumer group 'g' has no active members.\n");
  });

  it('--verbose adds LEADER-EPOCH after PARTITION', async () => {
    expect((await groups(cluster(), ['--describe', '--group', 'idle', '--verbose'])).stdout).toBe(golden.describeIdleVerbose);
  });

  it('prints only the notice for a group with nothing to show', async () => {
    expect(await groups(cluster(), ['--describe', '--group', 'nothing'])).toEqual({ code: 0, stdout: '', stderr: "\nConsumer group 'nothing' has no active members.\n" });
    expect(await groups(cluster(), ['--describe', '--group', 'moving'])).toEqual({ code: 0, stdout: '', stderr: "\nWarning: Consumer group 'moving' is rebalancing.\n" });
  });

  it('reports a missing group without a stack trace and exits 1, still describing the others', async () => {
    const r = await groups(cluster(), ['--describe', '--group', 'ghost', '--group', 'idle']);
    expect(r.code).toBe(1);
    const idle = golden.describeAppIdle.slice(golden.describeAppIdle.indexOf('\n\nGROUP') + 1);
    expect(r.stdout).toBe(idle);
    expect(r.stderr).toBe("\nError: Consumer group 'ghost' does not exist.\n\nConsumer group 'idle' has no active members.\n");
  });

  it('shows - for a log end offset that cannot be read', async () => {
    const c = cluster();
    c.topics.orders.leaderless = [1];
    const r = await groups(c, ['--describe', '--group', 'idle']);
    expect(r.stdout.split('\n')[2]).toBe(`${'idle'.padEnd(15)} ${'orders'.padEnd(15)} ${'1'.padEnd(10)} ${'5'.padEnd(15)} ${'-'.padEnd(15)} ${'-'.padEnd(15)} ${'-'.padEnd(15)} ${'-'.padEnd(15)} -`);
  });

  it('--all-groups describes every group in id order', async () => {
    const r = await groups(cluster(), ['--describe', '--all-groups']);
    expect(r.stdout).toBe(golden.describeAppIdle);
    expect(r.stderr).toBe(
      "\nConsumer group 'idle' has no active members.\n\nWarning: Consumer group 'moving' is rebalancing.\n\nConsumer group 'nothing' has no active members.\n",
    );
  });

  it('--output json has a stable shape per group, with an error for a missing one', async () => {
    const r = await groups(cluster(), ['--describe', '--group', 'idle', '--group', 'ghost', '--output', 'json']);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toEqual([
      { group: 'ghost', state: 'Dead', type: 'Classic', assignmentStrategy: null, coordinator: { id: 1, host: 'localhost', port: 9092 }, error: "Consumer group 'ghost' does not exist.", members: [], offsets: [] },
      {
        group: 'idle',
        state: 'Empty',
        type: 'Classic',
        assignmentStrategy: null,
        coordinator: { id: 1, host: 'localhost', port: 9092 },
        error: null,
        members: [],
        offsets: [{ topic: 'orders', partition: 1, currentOffset: 5, logEndOffset: 20, lag: 15, leaderEpoch: 3, consumerId: '-', host: '-', clientId: '-' }],
      },
    ]);
  });
});

describe('kafka-consumer-groups --describe --members / --state', () => {
  it('--members lists every member in broker order with #PARTITIONS (trailing space kept)', async () => {
    const c = cluster();
    c.groups.app.members = [member(M1, [['orders', 2], ['orders', 0]]), member(M2, [[P, 0]]), member(M3, [])];
    expect((await groups(c, ['--describe', '--group', 'app', '--members'])).stdout).toBe(golden.membersApp);
    expect((await groups(c, ['--describe', '--group', 'app', '--members', '--verbose'])).stdout).toBe(golden.membersAppVerbose);
  });

  it('--members prints the header with minimum widths for an empty group', async () => {
    const c = cluster();
    c.groups['idle-group-with-a-long-name'] = { state: 'Empty' };
    const r = await groups(c, ['--describe', '--group', 'idle-group-with-a-long-name', '--members']);
    expect(r.stdout).toBe(golden.membersEmpty);
    expect(r.stderr).toBe("\nConsumer group 'idle-group-with-a-long-name' has no active members.\n");
  });

  it('--members adds GROUP-INSTANCE-ID when a member has one', async () => {
    const c = cluster();
    c.groups.static = { state: 'Stable', members: [member(M1, [['orders', 0]], { groupInstanceId: 'instance-a' }), member(M2, [])] };
    expect((await groups(c, ['--describe', '--group', 'static', '--members'])).stdout).toBe(golden.membersInstance);
  });

  it('--state shows coordinator, strategy, state and member count', async () => {
    expect((await groups(cluster(), ['--describe', '--group', 'app', '--state'])).stdout).toBe(golden.stateApp);
    const r = await groups(cluster(), ['--describe', '--group', 'idle', '--state', '--verbose']);
    expect(r.stdout).toBe(golden.stateIdleVerbose);
    expect(r.stderr).toBe("\nConsumer group 'idle' has no active members.\n");
  });

  it('--members and --state report a missing group', async () => {
    for (const view of ['--members', '--state']) {
      expect(await groups(cluster(), ['--describe', '--group', 'ghost', view])).toEqual({ code: 1, stdout: '', stderr: "\nError: Consumer group 'ghost' does not exist.\n" });
    }
  });
});

describe('kafka-consumer-groups --delete', () => {
  it('deletes empty groups', async () => {
    const c = cluster();
    expect(await groups(c, ['--delete', '--group', 'idle', '--group', 'nothing'])).toEqual({ code: 0, stdout: "Deletion of requested consumer groups ('idle', 'nothing') was successful.\n", stderr: '' });
    expect(Object.keys(c.groups)).toEqual(['app', 'moving']);
  });

  it('refuses a non-empty group and names the ones that were deleted', async () => {
    const c = cluster();
    const r = await groups(c, ['--delete', '--group', 'app', '--group', 'idle', '--group', 'ghost']);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      '\nError: Deletion of some consumer groups failed:\n' +
        "* Group 'app' could not be deleted due to: org.apache.kafka.common.errors.GroupNotEmptyException: The group is not empty.\n" +
        "* Group 'ghost' could not be deleted due to: org.apache.kafka.common.errors.GroupIdNotFoundException: The group id does not exist.\n",
    );
    expect(r.stdout).toBe("\nThese consumer groups were deleted successfully: 'idle'\n");
    expect(c.groups.app).toBeDefined();
  });
});

describe('kafka-consumer-groups --delete-offsets', () => {
  it('deletes every partition of a topic and prints the per-partition table', async () => {
    const c = cluster();
    c.groups.idle.offsets = { 'orders:0': { offset: 1 }, 'orders:1': { offset: 2 }, 'orders:2': { offset: 3 } };
    const r = await groups(c, ['--delete-offsets', '--group', 'idle', '--topic', 'orders']);
    expect(r).toEqual({ code: 0, stdout: `Request succeeded for deleting offsets from group idle.\n${golden.delOfsOk}`, stderr: '' });
    expect(c.groups.idle.offsets).toEqual({});
  });

  it('reports partition-level failures: subscribed topic, unknown topic', async () => {
    const c = cluster();
    c.groups.app.members = [member(M1, [['orders', 0]])];
    const r = await groups(c, ['--delete-offsets', '--group', 'app', '--topic', 'orders:1', '--topic', 'no-such-topic', '--topic', P]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('\nError: Encountered some partition-level error, see the follow-up details.\n');
    expect(r.stdout).toBe(golden.delOfsMixed);
  });

  it('reports a missing group with Kafka\'s error text', async () => {
    const r = await groups(cluster(), ['--delete-offsets', '--group', 'ghost', '--topic', 'orders:0']);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('\nError: The group id does not exist.\n');
    expect(r.stdout).toBe(
      `\n${'TOPIC'.padEnd(15)} ${'PARTITION'.padEnd(10)} ${'STATUS'.padEnd(15)}` +
        `\n${'orders'.padEnd(15)} ${'0'.padEnd(10)} Error: org.apache.kafka.common.errors.GroupIdNotFoundException: The group id does not exist.\n`,
    );
  });

  it('refuses a repeated --group', async () => {
    expect(await groups(cluster(), ['--delete-offsets', '--group', 'a', '--group', 'b', '--topic', 't'])).toEqual({
      code: 1,
      stdout: '',
      stderr: 'Found multiple arguments for option group, but you asked for only one\n',
    });
  });
});

describe('kafka-consumer-groups validation (§4.2 order and messages)', () => {
  const cases: Array<[string[], string]> = [
    [['--list', '--members'], 'Option(s) [members] are unavailable given other options on the command line'],
    [['--list', '--offsets'], 'Option(s) [offsets] are unavailable given other options on the command line'],
    [['--list', '--verbose'], 'Option(s) [verbose] are unavailable given other options on the command line'],
    [['--delete', '--group', 'g', '--state'], 'Option(s) [state] are unavailable given other options on the command line'],
    [['--describe', '--group', 'g', '--type'], 'Option(s) [type] are unavailable given other options on the command line'],
    [['--describe'], 'Option [describe] takes one of these options: [all-groups], [group]'],
    [['--describe', '--group', 'g', '--members', '--state'], 'Option [describe] takes at most one of these options: [members], [offsets], [state]'],
    [['--describe', '--group', 'g', '--state', 'Stable'], 'Option [describe] does not take a value for [state]'],
    [['--delete'], 'Option [delete] takes one of these options: [all-groups], [group]'],
    [['--delete', '--group', 'g', '--topic', 't'], 'The consumer does not support topic-specific offset deletion from a consumer group.'],
    [['--delete-offsets', '--group', 'g'], 'Option [delete-offsets] takes the following options: [group], [topic]'],
    [['--delete-offsets', '--topic', 't'], 'Option [delete-offsets] takes the following options: [group], [topic]'],
    [['--reset-offsets', '--group', 'g', '--dry-run', '--execute'], 'Option [reset-offsets] only accepts one of [execute] and [dry-run]'],
    [['--reset-offsets', '--dry-run', '--to-earliest'], 'Option [reset-offsets] takes one of these options: [all-groups], [group]'],
    [['--reset-offsets', '--group', 'g', '--dry-run', '--to-offset', '1', '--shift-by', '2'], 'Option "[to-offset]" can\'t be used with option "[shift-by]"'],
    [['--reset-offsets', '--group', 'g', '--dry-run', '--to-latest', '--to-current'], 'Option "[to-latest]" can\'t be used with option "[to-current]"'],
    [['--reset-offsets', '--group', 'g', '--dry-run', '--from-file', 'f', '--shift-by', '1'], 'Option "[shift-by]" can\'t be used with option "[from-file]"'],
    [['--describe', '--group', 'g', '--all-groups'], 'Option "[group]" can\'t be used with option "[all-groups]"'],
    [['--list', '--group', 'g'], 'Option "[group]" can\'t be used with option "[list]"'],
    [['--list', '--topic', 't'], 'Option "[topic]" can\'t be used with option "[list]"'],
    [['--describe', '--group', 'g', '--topic', 't'], 'Option "[topic]" can\'t be used with option "[describe]"'],
    [['--all-groups'], 'Command must include exactly one action: --list, --describe, --delete, --reset-offsets, --delete-offsets, --validate-regex'],
    [['--list', '--describe', '--all-groups'], 'Command must include exactly one action: --list, --describe, --delete, --reset-offsets, --delete-offsets, --validate-regex'],
    [['--list', '--output', 'yaml'], "Unknown --output format 'yaml': the only format is json."],
  ];
  for (const [argv, message] of cases) {
    it(`${argv.join(' ')} -> ${message}`, async () => {
      expect(await groups(cluster(), argv)).toEqual({ code: 1, stdout: '', stderr: `${message}\n` });
    });
  }

  it('prints the dry-run warning before a later usage error, as Kafka does', async () => {
    const r = await groups(cluster(), ['--reset-offsets', '--to-earliest']);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      'WARN: No action will be performed as the --execute option is missing. In version 5.0, this command will require either --dry-run or --execute to be specified. You should add the --dry-run option explicitly if you are scripting this command and want to keep the current default behavior without prompting.\n' +
        'Option [reset-offsets] takes one of these options: [all-groups], [group]\n',
    );
  });

  it('--validate-regex says whether a pattern compiles', async () => {
    expect(await groups(cluster(), ['--validate-regex', 'orders-.*'])).toEqual({ code: 0, stdout: 'The regular expression `orders-.*` is valid.\n', stderr: '' });
    const r = await groups(cluster(), ['--validate-regex', 'orders-(']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('The regular expression `orders-(` is invalid: Unterminated group.\n');
  });
});

describe('kafka-consumer-groups on a terminal', () => {
  it('colours Error: red on a terminal, never under NO_COLOR or without a terminal', async () => {
    expect((await groups(cluster(), ['--describe', '--group', 'ghost'], { isTTY: true, env: {} })).stderr).toBe("\n\u001b[31mError:\u001b[39m Consumer group 'ghost' does not exist.\n");
    expect((await groups(cluster(), ['--describe', '--group', 'ghost'], { isTTY: true, env: { NO_COLOR: '1' } })).stderr).toBe("\nError: Consumer group 'ghost' does not exist.\n");
    expect((await groups(cluster(), ['--describe', '--group', 'ghost'], { isTTY: false, env: {} })).stderr).toBe("\nError: Consumer group 'ghost' does not exist.\n");
  });

  it('waits for a rebalancing group to settle instead of printing the rebalancing warning', async () => {
    const c = cluster();
    // The fake rebalance completes once the tool has looked twice.
    let looks = 0;
    Object.defineProperty(c.groups, 'moving', {
      enumerable: true,
      get: () => (++looks > 2 ? { state: 'Stable', strategy: 'range', members: [member(M3, [['orders', 1]])] } : { state: 'PreparingRebalance', members: [member(M3, [])] }),
    });
    const r = await groups(c, ['--describe', '--group', 'moving', '--state'], { isTTY: true, env: { NO_COLOR: '1' } });
    expect(r.code).toBe(0);
    expect(r.stderr).not.toContain('is rebalancing');
    expect(r.stdout).toContain('Stable');
    // Without a terminal Kafka's behaviour is kept: describe at once, with the warning.
    looks = -100;
    const plain = await groups(c, ['--describe', '--group', 'moving', '--state']);
    expect(plain.stderr).toBe("\nWarning: Consumer group 'moving' is rebalancing.\n");
  });
});
