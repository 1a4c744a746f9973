// kafka-server-start under kcat (librdkafka): 1M x 100 B records produced with acks=1 and consumed
// to /dev/null. The same-run reference is the same kcat command against librdkafka's own mock
// cluster (in-memory, in the kcat process next door), the fastest broker this machine has.
import { execSync, spawn, spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const N = 1_000_000;

function seconds(cmd) {
  const t = process.hrtime.bigint();
  execSync(cmd, { stdio: ['ignore', 'ignore', 'ignore'], shell: '/bin/sh' });
  return Number(process.hrtime.bigint() - t) / 1e9;
}

/** Starts a process whose stderr goes to a file (an undrained pipe would stall it) and waits for `pattern` there. */
async function startLogged(dir, name, cmd, args, pattern, env = {}) {
  const log = join(dir, `${name}.log`);
  const fd = openSync(log, 'w');
  const child = spawn(cmd, args, { stdio: ['ignore', 'ignore', fd], env: { ...process.env, ...env } });
  closeSync(fd);
  for (let i = 0; i < 400; i++) {
    const m = pattern.exec(readFileSync(log, 'utf8'));
    if (m) return { child, match: m[1] };
    await new Promise((r) => setTimeout(r, 50));
  }
  child.kill('SIGKILL');
  throw new Error(`${name} did not start:\n${readFileSync(log, 'utf8')}`);
}

export default async function run() {
  if (spawnSync('kcat', ['-V']).status !== 0) {
    return [{ name: 'kafka-server-start (skipped: kcat is not installed)', value: 0, unit: 'records/s', reference: { name: 'kcat', value: 0 }, goal: 'install kcat' }];
  }
  const dir = mkdtempSync(join(tmpdir(), 'kafkit-bench-'));
  const started = [];
  try {
    const input = join(dir, 'lines.txt');
    execSync(`seq 1 ${N} | awk '{printf "%-99s\\n", $0}' > ${input}`, { shell: '/bin/sh' });
    const server = await startLogged(dir, 'server', join(root, 'bin', 'kafka-server-start'), ['--port', '0'], /bootstrap servers: (\S+)/, { KAFKIT_DATA_DIR: join(dir, 'data') });
    started.push(server.child);
    const mock = await startLogged(dir, 'mock', 'kcat', ['-b', '127.0.0.1:1', '-X', 'test.mock.num.brokers=3', '-C', '-t', '__keepalive', '-d', 'mock', '-q'], /bootstrap\.servers=(\S+)/);
    started.push(mock.child);
    const produce = (b, t) => seconds(`cat ${input} | kcat -b ${b} -P -t ${t} -X acks=1`);
    const consume = (b, t) => seconds(`kcat -b ${b} -C -t ${t} -o beginning -e -q > /dev/null`);
    // Topics are auto-created with 1 partition on both.
    const ours = { produce: produce(server.match, 'bench'), consume: consume(server.match, 'bench') };
    const theirs = { produce: produce(mock.match, 'bench'), consume: consume(mock.match, 'bench') };
    return [
      { name: `kcat -P ${N / 1e6}M x 100 B, acks=1, into kafka-server-start`, value: N / ours.produce, unit: 'records/s', reference: { name: 'same kcat command into the librdkafka mock cluster', value: N / theirs.produce }, goal: '>= 1M records/s (issue 6)' },
      { name: `kcat -C -e of them from kafka-server-start`, value: N / ours.consume, unit: 'records/s', reference: { name: 'same kcat command from the librdkafka mock cluster', value: N / theirs.consume }, goal: '>= 2M records/s (issue 6)' },
    ];
  } finally {
    for (const c of started) c.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 300));
    rmSync(dir, { recursive: true, force: true });
  }
}
