// Static membership over the protocol: a kcat (librdkafka) member with group.instance.id keeps its
// place when it closes and takes it back on restart without a rebalance.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { ROOT, bin } from '../helpers.js';
import { readGroup } from '../../src/engine/groups/group-store.js';
import { serverPerFile, stopProcess } from './server-process.js';

const ctx = serverPerFile();

async function until(cond: () => boolean | Promise<boolean>, ms = 30_000) {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 200));
  }
}

it('a kcat member with group.instance.id survives a restart within its session without a rebalance', async () => {
  await bin('kafka-topics', ['--create', '--topic', 'st', '--partitions', '4', '--replication-factor', '1'], ctx.dataDir);
  const kcat = () => spawn('kcat', ['-b', ctx.server.bootstrap, '-G', 'static', '-X', 'group.instance.id=kc-1', '-X', 'session.timeout.ms=20000', '-q', 'st']);
  const embedded = spawn(join(ROOT, 'bin', 'kafka-console-consumer'), ['--topic', 'st', '--group', 'static', '--consumer-property', 'session.timeout.ms=20000'], {
    env: { ...process.env, KAFKIT_DATA_DIR: ctx.dataDir },
  });
  let first = kcat();
  let second: ReturnType<typeof kcat> | undefined;
  const stable = () => {
    const g = readGroup(ctx.dataDir, 'static');
    return g?.state === 'Stable' && Object.keys(g.members).length === 2 && Object.values(g.members).every((m) => m.generation === g.generation);
  };
  try {
    await until(stable);
    const before = readGroup(ctx.dataDir, 'static')!;
    const members = await bin('kafka-consumer-groups', ['--describe', '--group', 'static', '--members'], ctx.dataDir);
    expect(members.stdout.split('\n')[1]).toMatch(/^GROUP +CONSUMER-ID +GROUP-INSTANCE-ID +HOST /);
    expect(members.stdout).toMatch(/ kc-1 {13,}/);
    // The same through --bootstrap-server (kafkajs asks DescribeGroups v2; kafkit asks v4 for the ids).
    const remote = await bin('kafka-consumer-groups', ['--bootstrap-server', ctx.server.bootstrap, '--describe', '--group', 'static', '--members'], ctx.dataDir);
    expect(remote.stdout.split('\n')[1]).toMatch(/^GROUP +CONSUMER-ID +GROUP-INSTANCE-ID +HOST /);
    expect(remote.stdout).toMatch(/ kc-1 {13,}/);

    await stopProcess(first);
    const held = readGroup(ctx.dataDir, 'static')!;
    expect(Object.values(held.members).some((m) => m.groupInstanceId === 'kc-1')).toBe(true);
    expect(held.generation).toBe(before.generation);

    second = kcat();
    await until(() => {
      const g = readGroup(ctx.dataDir, 'static')!;
      const m = Object.values(g.members).find((x) => x.groupInstanceId === 'kc-1')!;
      return m.memberId !== Object.values(before.members).find((x) => x.groupInstanceId === 'kc-1')!.memberId;
    });
    await new Promise((r) => setTimeout(r, 1000));
    const after = readGroup(ctx.dataDir, 'static')!;
    expect(after.generation).toBe(before.generation);
    expect(after.state).toBe('Stable');
  } finally {
    await Promise.all([stopProcess(embedded), second ? stopProcess(second) : Promise.resolve(), first.exitCode === null ? stopProcess(first) : Promise.resolve()]);
  }
});
