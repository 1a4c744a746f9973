// The headline pipe: `seq 1 1000000 | kafka-console-producer` and the consumer reading it back,
// each against the floor of a Node line pipeline on the same bytes in the same run (a bare
// `node` script that reads stdin line by line and writes the lines to /dev/null).
import { execSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
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
  const backend = ['producer', 'consumer'].every((f) => existsSync(join(root, 'dist', 'client', 'embedded', `${f}.js`)));
  if (!backend) {
    return [{ name: 'console tools: skipped, the embedded backend (dist/client/embedded) is missing', value: 0, unit: 'records/s', reference: { name: 'none', value: 1 }, goal: 'n/a' }];
  }
  const dir = mkdtempSync(join(tmpdir(), 'kafkit-bench-'));
  try {
    const env = { KAFKIT_DATA_DIR: join(dir, 'data') };
    const input = join(dir, 'seq.txt');
    execSync(`seq 1 ${N} > ${input}`, { shell: '/bin/sh' });
    const floorScript = join(dir, 'floor.mjs');
    writeFileSync(floorScript, "import { createInterface } from 'node:readline'; const rl = createInterface({ input: process.stdin }); for await (const l of rl) process.stdout.write(l + '\\n');");
    const floor = seconds(`node ${floorScript} < ${input} > /dev/null`, env);
    const produce = seconds(`${root}/bin/kafka-console-producer --topic bench < ${input}`, env);
    const consume = seconds(`${root}/bin/kafka-console-consumer --topic bench --from-beginning --max-messages ${N} > /dev/null`, env);
    const floorRow = { name: 'node readline pipe, same lines', value: N / floor };
    return [
      { name: `seq 1 ${N} | kafka-console-producer --topic bench (auto-created, 1 partition, RF 1)`, value: N / produce, unit: 'records/s', reference: floorRow, goal: '>= 3M rec/s (issue 4); Kreps Java producer 821k' },
      { name: `kafka-console-consumer --from-beginning --max-messages ${N} > /dev/null`, value: N / consume, unit: 'records/s', reference: floorRow, goal: '>= 5M rec/s (issue 4)' },
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
