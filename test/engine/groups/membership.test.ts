import { afterEach, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { Cluster } from '../../../src/engine/cluster/cluster.js';
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

  it('lets two groups read the same partitions independently', async () => {
    const dir = tempDir();
    Cluster.open(dir).createTopic({ name: 't', partitions: 2 });
    const a = member(dir, 'g1');
    const b = member(dir, 'g2');
    await until(() => a.state.assigned.length === 2 && b.state.assigned.length === 2);
  });
});
