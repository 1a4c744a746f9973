// Issue 4's figures: kafka-console-producer fed 1M lines of 100 bytes from a pipe (RF 1, and RF 3 with
// acks=all), and kafka-console-consumer reading them back to /dev/null. The same-run references are
// `cat` of the same bytes and `node -e 0` (the start-up floor every Node tool pays).
import { execSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
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

/** The first .log file of a partition's replica dirs. */
function findSegment(dataDir, partitionDir) {
  for (const broker of readdirSync(dataDir).filter((d) => d.startsWith('broker-'))) {
    const dir = join(dataDir, broker, partitionDir);
    if (!existsSync(dir)) continue;
    const log = readdirSync(dir).find((f) => f.endsWith('.log'));
    if (log) return join(dir, log);
  }
  throw new Error(`no segment of ${partitionDir} under ${dataDir}`);
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
    // Best of 3, each into a fresh data dir: single runs on this 2-core VM vary by up to 40%, and
    // appends to a log that already holds the earlier runs' hundreds of MB went slower each time
    // (the page-cache writes: see RESULTS.md). The last RF 1 run's data is what the consumer reads.
    const fresh = (name) => ({ KAFKIT_DATA_DIR: join(dir, name) });
    const produceInto = (name, create, flags) => {
      rmSync(join(dir, name), { recursive: true, force: true });
      if (create) execSync(`${root}/bin/kafka-topics --create --topic bench --partitions 1 --replication-factor 3`, { env: { ...process.env, ...fresh(name) }, stdio: 'ignore' });
      return seconds(`cat ${input} | ${root}/bin/kafka-console-producer --topic bench ${flags}`, fresh(name));
    };
    const produce = Math.min(...[1, 2, 3].map(() => produceInto('data', false, '')));
    const produce3 = Math.min(...[1, 2, 3].map(() => produceInto('data3', true, '--request-required-acks all')));
    rmSync(join(dir, 'data3'), { recursive: true, force: true });
    const segment = findSegment(join(dir, 'data'), 'bench-0');
    const consume = fastest(`${root}/bin/kafka-console-consumer --topic bench --from-beginning --max-messages ${N} > /dev/null`, env, 3);
    // Floors: what a Node process takes to move the same bytes doing nothing else. Reading the pipe,
    // and reading the log in 1 MiB pieces with the consumer's CRC-32C check, to /dev/null.
    const pipeFloor = fastest(`cat ${input} | node -e "(async () => { for await (const c of process.stdin); })()"`, env, 3);
    const crc = join(root, 'node_modules', '@node-rs', 'crc32');
    const logFloor = fastest(
      `node -e "const fs = require('fs'); const { crc32c } = require('${crc}'); const fd = fs.openSync('${segment}', 'r'); const b = Buffer.allocUnsafe(1 << 20); let n; while ((n = fs.readSync(fd, b, 0, b.length, null)) > 0) { crc32c(b.subarray(0, n)); fs.writeSync(1, b, 0, n); }" > /dev/null`,
      env,
      3,
    );
    const catRow = { name: 'cat of the same bytes', value: N / cat };
    const rf1 = N / produce;
    return [
      { name: `cat | kafka-console-producer, ${N / 1e6}M lines of 100 B (auto-created topic, 1 partition, RF 1; best of 3, each into a new data dir)`, value: rf1, unit: 'records/s', reference: catRow, goal: '>= 3M rec/s (issue 4); Kreps Java producer 821k' },
      { name: `the same into RF 3 with --request-required-acks all (best of 3)`, value: N / produce3, unit: 'records/s', reference: { name: 'RF 1 above', value: rf1 }, goal: '>= 0.6x of RF 1 (issue 4)' },
      { name: `kafka-console-consumer --from-beginning --max-messages ${N} > /dev/null (best of 3)`, value: N / consume, unit: 'records/s', reference: catRow, goal: '>= 5M rec/s (issue 4)' },
      { name: 'echo x | kafka-console-producer (start-up and one record, best of 5)', value: oneLine * 1000, unit: 'ms', reference: { name: 'node -e 0, best of 5', value: nodeStart * 1000 }, goal: 'information' },
      { name: 'the producer row again', value: rf1, unit: 'records/s', reference: { name: `floor: cat | node reading the pipe and nothing else (best of 3)`, value: N / pipeFloor }, goal: 'information: how near the floor' },
      { name: 'the consumer row again', value: N / consume, unit: 'records/s', reference: { name: 'floor: node reading the log in 1 MiB pieces, CRC-32C, to /dev/null (best of 3)', value: N / logFloor }, goal: 'information: how near the floor' },
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
