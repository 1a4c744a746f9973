// The headline pipe: `seq 1 1000000 | kafka-console-producer` and the consumer reading it back,
// against a bare Node line pipeline (read stdin lines, write them out) on the same input.
import { execSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const N = 1_000_000;

function seconds(cmd, env) {
  const t = process.hrtime.bigint();
  execSync(cmd, { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'ignore'], shell: '/bin/sh' });
  return Number(process.hrtime.bigint() - t) / 1e9;
}

export default async function run() {
  const dir = mkdtempSync(join(tmpdir(), 'kafkit-bench-'));
  try {
    const env = { KAFKIT_DATA_DIR: join(dir, 'data') };
    const input = join(dir, 'seq.txt');
    execSync(`seq 1 ${N} > ${input}`, { shell: '/bin/sh' });
    const floorScript = join(dir, 'floor.mjs');
    writeFileSync(floorScript, "import { createInterface } from 'node:readline'; const rl = createInterface({ input: process.stdin }); for await (const l of rl) process.stdout.write(l + '\\n');");
    const floor = seconds(`node ${floorScript} < ${input} > /dev/null`, env);
    seconds(`${root}/bin/kafka-topics --create --topic bench --partitions 3 --replication-factor 3`, env);
    const produce = seconds(`${root}/bin/kafka-console-producer --topic bench < ${input}`, env);
    const consume = seconds(`${root}/bin/kafka-console-consumer --topic bench --from-beginning --max-messages ${N} > /dev/null`, env);
    return [
      { name: `console-producer, ${N} lines, 3 partitions x RF 3`, value: N / produce, unit: 'records/s', reference: { name: 'node readline pipe', value: N / floor }, goal: 'a few seconds per million' },
      { name: `console-consumer, ${N} records`, value: N / consume, unit: 'records/s', reference: { name: 'node readline pipe', value: N / floor }, goal: 'a few seconds per million' },
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
