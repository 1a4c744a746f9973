// The remote backend against librdkafka's mock cluster: 100k records produced and consumed through
// kafkit's bins, with kcat (librdkafka) on the same mock as the same-run reference.
import { execSync, spawn, spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const N = 100_000;

function seconds(cmd) {
  const t = process.hrtime.bigint();
  execSync(cmd, { stdio: ['ignore', 'ignore', 'ignore'], shell: '/bin/sh' });
  return Number(process.hrtime.bigint() - t) / 1e9;
}

export default async function run() {
  if (spawnSync('kcat', ['-V']).status !== 0) {
    return [{ name: 'remote backend (skipped: kcat is not installed)', value: 0, unit: 'records/s', reference: { name: 'kcat', value: 0 }, goal: 'install kcat' }];
  }
  const dir = mkdtempSync(join(tmpdir(), 'kafkit-bench-'));
  // The mock's debug log goes to a file: execSync below blocks this process, and an undrained pipe
  // would freeze the mock.
  const fd = openSync(join(dir, 'mock.log'), 'w');
  const mock = spawn('kcat', ['-b', '127.0.0.1:1', '-X', 'test.mock.num.brokers=3', '-C', '-t', '__keepalive', '-d', 'mock', '-q'], { stdio: ['ignore', 'ignore', fd] });
  closeSync(fd);
  try {
    let bootstrap;
    for (let i = 0; i < 200 && !bootstrap; i++) {
      bootstrap = /bootstrap\.servers=(\S+)/.exec(readFileSync(join(dir, 'mock.log'), 'utf8'))?.[1];
      if (!bootstrap) await new Promise((r) => setTimeout(r, 50));
    }
    if (!bootstrap) throw new Error('the librdkafka mock cluster did not start');
    const input = join(dir, 'lines.txt');
    execSync(`seq 1 ${N} | awk '{printf "%-99s\\n", $0}' > ${input}`, { shell: '/bin/sh' });
    const env = `KAFKIT_DATA_DIR=${dir}`;
    const ourProduce = seconds(`${env} ${root}/bin/kafka-console-producer --bootstrap-server ${bootstrap} --topic ours --request-required-acks all < ${input}`);
    const kcatProduce = seconds(`kcat -b ${bootstrap} -P -t theirs -X acks=all < ${input}`);
    const ourConsume = seconds(`${env} ${root}/bin/kafka-console-consumer --bootstrap-server ${bootstrap} --topic ours --from-beginning --max-messages ${N} > /dev/null`);
    const kcatConsume = seconds(`kcat -b ${bootstrap} -C -t theirs -o beginning -e -q > /dev/null`);
    return [
      { name: `remote produce ${N} x 100 B, acks=all (kafkajs)`, value: N / ourProduce, unit: 'records/s', reference: { name: 'kcat -P on the same mock', value: N / kcatProduce }, goal: 'information (issue 7 measured kafkajs at 63k/s)' },
      { name: `remote consume ${N} records (kafkajs, group)`, value: N / ourConsume, unit: 'records/s', reference: { name: 'kcat -C -e on the same mock', value: N / kcatConsume }, goal: 'information (issue 7 measured kafkajs at 15k/s)' },
    ];
  } finally {
    mock.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
}
