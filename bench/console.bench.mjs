// Issue 4's figures: kafka-console-producer fed 1M lines of 100 bytes from a pipe (RF 1, and RF 3 with
// acks=all), and kafka-console-consumer reading them back to /dev/null. The same-run references are
// `cat` of the same bytes and `node -e 0` (the start-up floor every Node tool pays).
import { execSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const N = 1_000_000;

function seconds(cmd, env) {
  const t = process.hrtime.bigint();
  execSync(cmd, { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'ignore'], shell: '/bin/sh' });
  return Number(process.hrtime.bigint() - t) / 1e9;
}

/** Best of a few runs, for the short commands whose time is mostly start-up noise. */
function fastest(cmd, env, runs = 5) {
  return Math.min(...Array.from({ length: runs }, () => seconds(cmd, env)));
}

export default async function run() {
  const backend = ['producer', 'consumer'].every((f) => existsSync(join(root, 'dist', 'client', 'embedded', `${f}.js`)));
  if (!backend) {
    return [{ name: 'console tools: skipped, the embedded backend (dist/client/embedded) is missing', value: 0, unit: 'records/s', reference: { name: 'none', value: 1 }, goal: 'n/a' }];
  }
  const dir = mkdtempSync(join(tmpdir(), 'kafkit-bench-'));
  try {
    const env = { KAFKIT_DATA_DIR: join(dir, 'data') };
    const input = join(dir, 'lines.txt');
    execSync(`seq 1 ${N} | awk '{printf "%-99s\\n", $0}' > ${input}`, { shell: '/bin/sh' });
    const cat = seconds(`cat ${input} > /dev/null`, env);
    const nodeStart = fastest('node -e 0', env);
    const oneLine = fastest(`echo x | ${root}/bin/kafka-console-producer --topic one`, env);
    const produce = seconds(`cat ${input} | ${root}/bin/kafka-console-producer --topic bench`, env);
    execSync(`${root}/bin/kafka-topics --create --topic bench3 --partitions 1 --replication-factor 3`, { env: { ...process.env, ...env }, stdio: 'ignore' });
    const produce3 = seconds(`cat ${input} | ${root}/bin/kafka-console-producer --topic bench3 --request-required-acks all`, env);
    const consume = seconds(`${root}/bin/kafka-console-consumer --topic bench --from-beginning --max-messages ${N} > /dev/null`, env);
    const catRow = { name: 'cat of the same bytes', value: N / cat };
    const rf1 = N / produce;
    return [
      { name: `cat | kafka-console-producer, ${N / 1e6}M lines of 100 B (auto-created topic, 1 partition, RF 1)`, value: rf1, unit: 'records/s', reference: catRow, goal: '>= 3M rec/s (issue 4); Kreps Java producer 821k' },
      { name: `the same into RF 3 with --request-required-acks all`, value: N / produce3, unit: 'records/s', reference: { name: 'RF 1 above', value: rf1 }, goal: '>= 0.6x of RF 1 (issue 4)' },
      { name: `kafka-console-consumer --from-beginning --max-messages ${N} > /dev/null`, value: N / consume, unit: 'records/s', reference: catRow, goal: '>= 5M rec/s (issue 4)' },
      { name: 'echo x | kafka-console-producer (start-up and one record, best of 5)', value: oneLine * 1000, unit: 'ms', reference: { name: 'node -e 0, best of 5', value: nodeStart * 1000 }, goal: 'information' },
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
