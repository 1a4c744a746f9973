// kcat (librdkafka) against kafka-server-start: metadata, produce, consume, groups, offsets by time.
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { bin } from '../helpers.js';
import { runProcess, serverPerFile } from './server-process.js';

const ctx = serverPerFile();

const kcat = (args: string[], input?: string) => runProcess('kcat', ['-b', ctx.server.bootstrap, ...args], { input });

describe('kcat against kafka-server-start', () => {
  it('-L shows the three brokers, their listeners and the topics', async () => {
    await bin('kafka-topics', ['--create', '--topic', 'meta', '--partitions', '2', '--replication-factor', '3'], ctx.dataDir);
    const r = await kcat(['-L']);
    expect(r.code).toBe(0);
    const ports = ctx.server.bootstrap.split(',').map((hp) => hp.split(':')[1]);
    expect(r.stdout).toContain(' 3 brokers:');
    expect(r.stdout).toContain(`  broker 1 at 127.0.0.1:${ports[0]} (controller)`);
    expect(r.stdout).toContain(`  broker 2 at 127.0.0.1:${ports[1]}`);
    expect(r.stdout).toContain(`  broker 3 at 127.0.0.1:${ports[2]}`);
    expect(r.stdout).toMatch(/topic "meta" with 2 partitions:\n {4}partition 0, leader \d, replicas: \d,\d,\d, isrs: \d,\d,\d/);
  });

  it('-P of 100,000 lines, then -C -e reads exactly them back, in order', async () => {
    const lines = Array.from({ length: 100_000 }, (_, i) => `line-${i + 1}`);
    const p = await kcat(['-P', '-t', 'big'], `${lines.join('\n')}\n`);
    expect(p.code).toBe(0);
    const c = await kcat(['-C', '-t', 'big', '-e', '-q']);
    expect(c.code).toBe(0);
    expect(c.stdout).toBe(`${lines.join('\n')}\n`);
    // The embedded engine sees the same log.
    const embedded = await bin('kafka-console-consumer', ['--topic', 'big', '--from-beginning', '--max-messages', '3'], ctx.dataDir);
    expect(embedded.stdout).toBe('line-1\nline-2\nline-3\n');
  });

  it('-G: two kcat members of one group split the partitions and together read every record once', async () => {
    await bin('kafka-topics', ['--create', '--topic', 'split', '--partitions', '4', '--replication-factor', '2'], ctx.dataDir);
    const outputs = ['', ''];
    const members = outputs.map((_, i) => {
      const child = spawn('kcat', ['-b', ctx.server.bootstrap, '-G', 'kg', '-X', 'session.timeout.ms=6000', '-X', 'auto.offset.reset=earliest', '-q', '-u', '-f', '%p %s\n', 'split']);
      child.stdout.on('data', (d) => (outputs[i] += d));
      return child;
    });
    try {
      // Produce only once both members hold partitions, so that each has records to read.
      const deadline = Date.now() + 40_000;
      let described = '';
      while (Date.now() < deadline) {
        described = (await bin('kafka-consumer-groups', ['--describe', '--group', 'kg', '--state'], ctx.dataDir)).stdout;
        if (/ Stable +2\s*$/m.test(described)) break;
        await new Promise((r) => setTimeout(r, 300));
      }
      expect(described).toMatch(/ range +Stable +2\s*$/m);
      const input = Array.from({ length: 400 }, (_, i) => `k${i}:v${i}`).join('\n');
      expect((await kcat(['-P', '-t', 'split', '-K', ':'], `${input}\n`)).code).toBe(0);
      const count = () => outputs.join('').split('\n').filter(Boolean).length;
      while (Date.now() < deadline && count() < 400) await new Promise((r) => setTimeout(r, 200));
    } finally {
      for (const m of members) m.kill('SIGTERM');
    }
    const rows = outputs.map((o) => o.split('\n').filter(Boolean).map((l) => l.split(' ')));
    const partitions = rows.map((r) => new Set(r.map(([p]) => p)));
    expect(partitions[0].size).toBeGreaterThan(0);
    expect(partitions[1].size).toBeGreaterThan(0);
    expect([...partitions[0]].filter((p) => partitions[1].has(p))).toEqual([]);
    const values = rows.flat().map(([, v]) => v).sort();
    expect(values).toEqual(Array.from({ length: 400 }, (_, i) => `v${i}`).sort());
  });

  it('-Q finds offsets by timestamp', async () => {
    await bin('kafka-topics', ['--create', '--topic', 'times', '--partitions', '1', '--replication-factor', '1'], ctx.dataDir);
    const lines = Array.from({ length: 5 }, (_, i) => JSON.stringify({ timestamp: 1_000_000 + i * 1000, value: `v${i}` })).join('\n');
    const p = await bin('kafka-console-producer', ['--topic', 'times', '--input', 'json'], ctx.dataDir, `${lines}\n`);
    expect(p.code).toBe(0);
    const q = await kcat(['-Q', '-t', 'times:0:1002500']);
    expect(q.code).toBe(0);
    expect(q.stdout).toContain('times [0] offset 3');
  });
});
