// One consumer group, two kinds of member: an embedded-mode console consumer (no network) and a
// kcat consumer over the protocol. They share the coordinator, so they split the partitions.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { ROOT, bin, tempDir } from '../helpers.js';
import { runProcess, serverPerFile, stopProcess } from './server-process.js';

const ctx = serverPerFile();

it('an embedded console consumer and a kcat member of one group split the partitions', async () => {
  // Both start from the beginning: positions are looked up lazily, so 'latest' could skip records produced right after the group settles.
  await bin('kafka-topics', ['--create', '--topic', 'mixed', '--partitions', '4', '--replication-factor', '3'], ctx.dataDir);
  let embeddedOut = '';
  let kcatOut = '';
  const embedded = spawn(
    join(ROOT, 'bin', 'kafka-console-consumer'),
    ['--topic', 'mixed', '--group', 'mix', '--from-beginning', '--property', 'print.partition=true', '--consumer-property', 'session.timeout.ms=6000'],
    { env: { ...process.env, KAFKIT_DATA_DIR: ctx.dataDir } },
  );
  embedded.stdout.on('data', (d) => (embeddedOut += d));
  const kcat = spawn('kcat', ['-b', ctx.server.bootstrap, '-G', 'mix', '-X', 'session.timeout.ms=6000', '-X', 'auto.offset.reset=earliest', '-q', '-u', '-f', 'Partition:%p\t%s\n', 'mixed']);
  kcat.stdout.on('data', (d) => (kcatOut += d));
  try {
    const deadline = Date.now() + 45_000;
    let state = '';
    while (Date.now() < deadline) {
      state = (await bin('kafka-consumer-groups', ['--describe', '--group', 'mix', '--state'], ctx.dataDir)).stdout;
      if (/ range +Stable +2\s*$/m.test(state)) break;
      await new Promise((r) => setTimeout(r, 300));
    }
    expect(state).toMatch(/ range +Stable +2\s*$/m);
    const input = Array.from({ length: 200 }, (_, i) => `k${i}:v${i}`).join('\n');
    expect((await runProcess('kcat', ['-b', ctx.server.bootstrap, '-P', '-t', 'mixed', '-K', ':'], { input: `${input}\n` })).code).toBe(0);
    const lines = () => `${embeddedOut}${kcatOut}`.split('\n').filter(Boolean);
    while (Date.now() < deadline && lines().length < 200) await new Promise((r) => setTimeout(r, 200));
  } finally {
    const codes = await Promise.all([stopProcess(embedded), stopProcess(kcat)]);
    // The console consumer ends a SIGTERM with 143 (128 + 15), after leaving the group.
    expect(codes[0]).toBe(143);
  }
  const partitionsOf = (out: string) => new Set(out.split('\n').filter(Boolean).map((l) => l.split('\t')[0]));
  const e = partitionsOf(embeddedOut);
  const k = partitionsOf(kcatOut);
  expect(e.size).toBeGreaterThan(0);
  expect(k.size).toBeGreaterThan(0);
  expect([...e].filter((p) => k.has(p))).toEqual([]);
  const values = `${embeddedOut}${kcatOut}`.split('\n').filter(Boolean).map((l) => l.split('\t')[1]).sort();
  expect(values).toEqual(Array.from({ length: 200 }, (_, i) => `v${i}`).sort());
});

it('a kafkit consumer in remote mode joins a kcat group with the range assignor (not kafkajs-only RoundRobinAssigner)', async () => {
  await bin('kafka-topics', ['--create', '--topic', 'ranged', '--partitions', '4', '--replication-factor', '1'], ctx.dataDir);
  const clientDir = tempDir();
  const ours = spawn(join(ROOT, 'bin', 'kafka-console-consumer'), ['--bootstrap-server', ctx.server.bootstrap.split(',')[0], '--topic', 'ranged', '--group', 'ranged'], {
    env: { ...process.env, KAFKIT_DATA_DIR: clientDir },
  });
  const kcat = spawn('kcat', ['-b', ctx.server.bootstrap, '-G', 'ranged', '-X', 'session.timeout.ms=6000', '-q', 'ranged']);
  try {
    const deadline = Date.now() + 45_000;
    let members = '';
    while (Date.now() < deadline) {
      members = (await bin('kafka-consumer-groups', ['--describe', '--group', 'ranged', '--members'], ctx.dataDir)).stdout;
      if (/^ranged +kafkit-\S+ +\/127\.0\.0\.1 +kafkit +2 /m.test(members) && /^ranged +rdkafka-\S+ +\/127\.0\.0\.1 +rdkafka +2 /m.test(members)) break;
      await new Promise((r) => setTimeout(r, 300));
    }
    expect(members).toMatch(/^ranged +kafkit-\S+ +\/127\.0\.0\.1 +kafkit +2 /m);
    expect(members).toMatch(/^ranged +rdkafka-\S+ +\/127\.0\.0\.1 +rdkafka +2 /m);
    expect((await bin('kafka-consumer-groups', ['--describe', '--group', 'ranged', '--state'], ctx.dataDir)).stdout).toMatch(/ range +Stable +2\s*$/m);
  } finally {
    // Stopped by PID and waited for: a remote consumer that ignored SIGTERM here once spun in kafkajs
    // (src/client/remote/kafkajs-log.ts) long after the test.
    const codes = await Promise.all([stopProcess(ours), stopProcess(kcat)]);
    expect(codes[0]).toBe(143);
  }
});
