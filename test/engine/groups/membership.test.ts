import { afterEach, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { Cluster } from '../../../src/engine/cluster/cluster.js';
import { ReplicaManager } from '../../../src/engine/cluster/replica-manager.js';
import { encodeBatch } from '../../../src/engine/record/batch.js';
import { ROOT, cleanTempDirs, tempDir } from '../../helpers.js';

const script = join(ROOT, 'test/fixtures/group-member.mjs');
const children: ChildProcess[] = [];
afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null) c.kill('SIGKILL');
  cleanTempDirs();
});

function member(dir: string, group: string, sessionTimeoutMs = 3000) {
  const child = spawn(process.execPath, [script, dir, group, 't', String(sessionTimeoutMs)]);
  children.push(child);
  const state = { assigned: [] as number[], out: '' };
  child.stdout.on('data', (d) => {
    state.out += d;
    for (const line of String(d).split('\n')) if (line.startsWith('assigned ')) state.assigned = JSON.parse(line.slice(9));
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

describe('group membership across processes', () => {
  it('splits partitions between members, rebalances on join and on clean leave', async () => {
    const dir = tempDir();
    Cluster.open(dir).createTopic({ name: 't', partitions: 4 });
    const a = member(dir, 'g');
    await until(() => a.state.assigned.length === 4);
    const b = member(dir, 'g');
    await until(() => a.state.assigned.length === 2 && b.state.assigned.length === 2);
    expect([...a.state.assigned, ...b.state.assigned].sort()).toEqual([0, 1, 2, 3]);
    b.child.kill('SIGTERM');
    await until(() => b.state.out.includes('closed'));
    await until(() => a.state.assigned.length === 4, 3000);
  });

  it('gives a SIGKILLed member’s partitions to the others after the session timeout', async () => {
    const dir = tempDir();
    Cluster.open(dir).createTopic({ name: 't', partitions: 4 });
    const a = member(dir, 'g', 2000);
    const b = member(dir, 'g', 2000);
    await until(() => a.state.assigned.length === 2 && b.state.assigned.length === 2);
    const killedAt = Date.now();
    b.child.kill('SIGKILL');
    await until(() => a.state.assigned.length === 4);
    expect(Date.now() - killedAt).toBeGreaterThanOrEqual(1500);
  });

  it('three members over six partitions: disjoint cover, and after a SIGKILL every record is still printed (at-least-once)', async () => {
    const dir = tempDir();
    const cluster = Cluster.open(dir);
    cluster.createTopic({ name: 't', partitions: 6 });
    const rm = new ReplicaManager(cluster);
    const produce = (from: number, to: number) => {
      for (let p = 0; p < 6; p++) {
        const records = [];
        for (let i = from; i < to; i++) records.push({ key: null, value: Buffer.from(`${p}-${i}`) });
        rm.append('t', p, encodeBatch(records), -1);
      }
    };
    produce(0, 50);
    const members = [member(dir, 'g', 2000), member(dir, 'g', 2000), member(dir, 'g', 2000)];
    await until(() => members.every((m) => m.state.assigned.length === 2));
    expect(members.flatMap((m) => m.state.assigned).sort()).toEqual([0, 1, 2, 3, 4, 5]);
    const printed = () => new Set(members.flatMap((m) => m.state.out.split('\n').filter((l) => l.startsWith('record ')).map((l) => l.slice(7))));
    await until(() => printed().size === 300);
    members[2].child.kill('SIGKILL');
    produce(50, 100);
    await until(() => members[0].state.assigned.length + members[1].state.assigned.length === 6);
    // every record, before and after the kill, was printed by some member
    await until(() => printed().size === 600);
    rm.close();
  });

  it('lets two groups read the same partitions independently', async () => {
    const dir = tempDir();
    Cluster.open(dir).createTopic({ name: 't', partitions: 2 });
    const a = member(dir, 'g1');
    const b = member(dir, 'g2');
    await until(() => a.state.assigned.length === 2 && b.state.assigned.length === 2);
  });
});
