import { afterEach, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { Cluster } from '../../../src/engine/cluster/cluster.js';
import { GroupCoordinator } from '../../../src/engine/groups/coordinator.js';
import { readGroup } from '../../../src/engine/groups/group-store.js';
import { FencedInstanceIdError } from '../../../src/errors.js';
import { ROOT, bin, cleanTempDirs, tempDir } from '../../helpers.js';

const script = join(ROOT, 'test/fixtures/group-member.mjs');
const children: ChildProcess[] = [];
afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null) c.kill('SIGKILL');
  cleanTempDirs();
});

function member(dir: string, sessionTimeoutMs: number, instanceId = '') {
  const child = spawn(process.execPath, [script, dir, 'g', 't', String(sessionTimeoutMs), 'range', instanceId]);
  children.push(child);
  const state = { assigned: [] as number[], changes: 0, out: '' };
  child.stdout.on('data', (d) => {
    state.out += d;
    for (const line of String(d).split('\n')) {
      if (!line.startsWith('assigned ')) continue;
      state.assigned = JSON.parse(line.slice(9));
      state.changes++;
    }
  });
  return { child, state };
}

async function until(cond: () => boolean, ms = 15000) {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 50));
  }
}

const instanceOf = (dir: string, id: string) => Object.values(readGroup(dir, 'g')!.members).find((m) => m.groupInstanceId === id);

describe('static membership (group.instance.id)', () => {
  it('a static member restarted within its session gets its partitions back without a rebalance', async () => {
    const dir = tempDir();
    Cluster.open(dir).createTopic({ name: 't', partitions: 4 });
    const a = member(dir, 6000, 'instance-a');
    await until(() => a.state.assigned.length === 4);
    const b = member(dir, 6000);
    await until(() => a.state.assigned.length === 2 && b.state.assigned.length === 2 && readGroup(dir, 'g')!.state === 'Stable');
    const before = readGroup(dir, 'g')!;
    const mine = a.state.assigned;
    const oldId = instanceOf(dir, 'instance-a')!.memberId;
    const bChanges = b.state.changes;

    a.child.kill('SIGTERM');
    await until(() => a.state.out.includes('closed'));
    // No LeaveGroup: the member and its partitions stay.
    expect(Object.keys(readGroup(dir, 'g')!.members)).toHaveLength(2);

    const again = member(dir, 6000, 'instance-a');
    await until(() => again.state.assigned.length > 0);
    expect(again.state.assigned).toEqual(mine);
    const after = readGroup(dir, 'g')!;
    expect(after.generation).toBe(before.generation);
    expect(after.state).toBe('Stable');
    expect(instanceOf(dir, 'instance-a')!.memberId).not.toBe(oldId);
    expect(Object.keys(after.members)).toHaveLength(2);
    await new Promise((r) => setTimeout(r, 500));
    expect(b.state.changes).toBe(bChanges);

    const members = await bin('kafka-consumer-groups', ['--describe', '--group', 'g', '--members'], dir);
    expect(members.code).toBe(0);
    const lines = members.stdout.split('\n');
    expect(lines[1]).toMatch(/^GROUP +CONSUMER-ID +GROUP-INSTANCE-ID +HOST +CLIENT-ID +#PARTITIONS +$/);
    const staticRow = lines.find((l) => l.includes('instance-a'))!;
    const header = lines[1];
    expect(staticRow.slice(header.indexOf('GROUP-INSTANCE-ID')).startsWith('instance-a        ')).toBe(true);
    expect(staticRow).toContain(instanceOf(dir, 'instance-a')!.memberId);
  });

  it('a static member gone for longer than its session is removed and the group rebalances', async () => {
    const dir = tempDir();
    Cluster.open(dir).createTopic({ name: 't', partitions: 4 });
    const a = member(dir, 1500, 'instance-a');
    const b = member(dir, 6000);
    await until(() => a.state.assigned.length === 2 && b.state.assigned.length === 2);
    const generation = readGroup(dir, 'g')!.generation;
    a.child.kill('SIGTERM');
    await until(() => a.state.out.includes('closed'));
    const closedAt = Date.now();
    await until(() => b.state.assigned.length === 4);
    expect(Date.now() - closedAt).toBeGreaterThanOrEqual(1000);
    expect(instanceOf(dir, 'instance-a')).toBeUndefined();
    expect(readGroup(dir, 'g')!.generation).toBeGreaterThan(generation);
  });

  it('a second member with the same instance id fences the first', () => {
    const dir = tempDir();
    const cluster = Cluster.open(dir);
    cluster.createTopic({ name: 't', partitions: 2 });
    const coordinator = new GroupCoordinator(dir, (t) => cluster.topic(t)?.partitions.length ?? 0);
    const req = { groupId: 'g', memberId: '', groupInstanceId: 'x', clientId: 'c', host: '/127.0.0.1', sessionTimeoutMs: 10000, strategy: 'range' as const, topics: ['t'] };
    const first = coordinator.join(req);
    coordinator.acknowledge('g', first.memberId, first.generation, 'x');
    const second = coordinator.join(req);
    expect(second.memberId).not.toBe(first.memberId);
    expect(second.generation).toBe(first.generation);
    expect(second.assignment).toEqual([{ topic: 't', partition: 0 }, { topic: 't', partition: 1 }]);
    expect(() => coordinator.heartbeat('g', first.memberId, 'x')).toThrow(FencedInstanceIdError);
    expect(() => coordinator.join({ ...req, memberId: first.memberId })).toThrow(FencedInstanceIdError);
  });
});
