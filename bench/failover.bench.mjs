// Issue 13's figures. Unavailability: three kafka-server-start --node-id processes, a 1-partition RF 3
// topic with min.insync.replicas=2 led by broker 1; a kafkajs producer (acks=all) connected before
// broker 1 goes; the time from kill -9 (or SIGTERM, the controlled shutdown kafka-server-stop asks
// for) of broker 1's process to the first acknowledged write to that partition. Catch-up: broker 3
// misses 1M x 100 B records, comes back (embedded), and its replica is copied from the leader
// (ReplicaManager.catchUpBroker, as its server's timer runs it), against `cp` of the same segment files,
// each after a `sync` and best of 3.
import { execSync, spawn } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import kafkajs from 'kafkajs';
import { Cluster } from '../dist/engine/cluster/cluster.js';
import { ReplicaManager } from '../dist/engine/cluster/replica-manager.js';

const root = join(import.meta.dirname, '..');
const bin = (name) => join(root, 'bin', name);
const N = 1_000_000;

async function startBroker(dataDir, id) {
  const log = join(dataDir, `..`, `broker-${id}-${Date.now()}.log`);
  const fd = openSync(log, 'w');
  const child = spawn(bin('kafka-server-start'), ['--node-id', String(id), '--port', '0'], { stdio: ['ignore', 'ignore', fd], env: { ...process.env, KAFKIT_DATA_DIR: dataDir } });
  closeSync(fd);
  for (let i = 0; i < 400; i++) {
    const m = /bootstrap servers: (\S+)/.exec(readFileSync(log, 'utf8'));
    if (m) return { child, bootstrap: m[1] };
    await new Promise((r) => setTimeout(r, 50));
  }
  child.kill('SIGKILL');
  throw new Error(`broker ${id} did not start:\n${readFileSync(log, 'utf8')}`);
}

/** Milliseconds from `signal` to broker 1's process to the first acks=all write acknowledged after it. */
async function unavailability(signal) {
  const dir = mkdtempSync(join(tmpdir(), 'kafkit-bench-failover-'));
  const data = join(dir, 'data');
  const brokers = [];
  let producer;
  try {
    execSync(`${bin('kafka-topics')} --create --topic f --replica-assignment 1:2:3 --config min.insync.replicas=2`, { env: { ...process.env, KAFKIT_DATA_DIR: data }, stdio: 'ignore' });
    for (const id of [1, 2, 3]) brokers.push(await startBroker(data, id));
    const kafka = new kafkajs.Kafka({ clientId: 'bench', brokers: brokers.map((b) => b.bootstrap), logLevel: kafkajs.logLevel.NOTHING, retry: { initialRetryTime: 20, maxRetryTime: 200, retries: 100 } });
    producer = kafka.producer({ allowAutoTopicCreation: false });
    await producer.connect();
    for (let i = 0; i < 20; i++) await producer.send({ topic: 'f', acks: -1, messages: [{ partition: 0, value: `warm-${i}` }] });
    const exited = new Promise((r) => brokers[0].child.once('exit', r));
    const t0 = process.hrtime.bigint();
    brokers[0].child.kill(signal);
    // Sent once the process is gone, so that no write can be acknowledged by the broker that went.
    await exited;
    await producer.send({ topic: 'f', acks: -1, messages: [{ partition: 0, value: 'after' }] });
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    const p = Cluster.open(data).topic('f').partitions[0];
    if (p.leader === 1 || p.leaderEpoch < 1) throw new Error(`broker 1 still leads: ${JSON.stringify(p)}`);
    return ms;
  } finally {
    await producer?.disconnect().catch(() => {});
    for (const b of brokers) if (b.child.exitCode === null && b.child.signalCode === null) b.child.kill('SIGTERM');
    await Promise.all(brokers.map((b) => (b.child.exitCode === null && b.child.signalCode === null ? new Promise((r) => b.child.once('exit', r)) : null)));
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * One round: broker 3 misses N records, then `cp` of the leader's segment files and broker 3's
 * catch-up are timed, each after a `sync`, so that neither waits on the other's (or the producer's)
 * write-back: the ratio compares the two copies, not the page cache's state.
 */
function catchUpRound(dir, input, round) {
  const data = join(dir, `data-${round}`);
  const env = { ...process.env, KAFKIT_DATA_DIR: data };
  execSync(`${bin('kafka-topics')} --create --topic c --replica-assignment 1:2:3 --config min.insync.replicas=1`, { env, stdio: 'ignore' });
  execSync(`${bin('kafka-server-stop')} --node-id 3`, { env, stdio: 'ignore' });
  execSync(`${bin('kafka-console-producer')} --topic c --producer-property acks=1 < ${input}`, { env, stdio: 'ignore', shell: '/bin/sh' });
  const leaderDir = join(data, 'broker-1', 'c-0');
  const segments = readdirSync(leaderDir).filter((f) => f.endsWith('.log'));
  const bytes = segments.reduce((n, f) => n + statSync(join(leaderDir, f)).size, 0);
  const copyTo = join(dir, `cp-${round}`);
  execSync('sync');
  const tcp = process.hrtime.bigint();
  execSync(`mkdir ${copyTo} && cp ${segments.map((f) => join(leaderDir, f)).join(' ')} ${copyTo}/`, { shell: '/bin/sh' });
  const cpSeconds = Number(process.hrtime.bigint() - tcp) / 1e9;

  const cluster = Cluster.open(data);
  cluster.startBroker(3);
  const replicas = new ReplicaManager(cluster, () => {});
  execSync('sync');
  const t = process.hrtime.bigint();
  const behind = replicas.catchUpBroker(3);
  const seconds = Number(process.hrtime.bigint() - t) / 1e9;
  replicas.close();
  const p = Cluster.open(data).topic('c').partitions[0];
  if (behind !== 0 || !p.isr.includes(3)) throw new Error(`broker 3 did not catch up (behind ${behind}, ISR ${p.isr})`);
  const copied = readdirSync(join(data, 'broker-3', 'c-0')).filter((f) => f.endsWith('.log')).reduce((n, f) => n + statSync(join(data, 'broker-3', 'c-0', f)).size, 0);
  if (copied !== bytes) throw new Error(`broker 3 holds ${copied} bytes of log, the leader ${bytes}`);
  rmSync(data, { recursive: true, force: true });
  rmSync(copyTo, { recursive: true, force: true });
  return { bytes, seconds, cpSeconds };
}

/** Best of 3 rounds for each side. */
async function catchUp() {
  const dir = mkdtempSync(join(tmpdir(), 'kafkit-bench-catchup-'));
  try {
    const input = join(dir, 'lines.txt');
    execSync(`seq 1 ${N} | awk '{printf "%-99s\\n", $0}' > ${input}`, { shell: '/bin/sh' });
    const rounds = [0, 1, 2].map((r) => catchUpRound(dir, input, r));
    return { bytes: rounds[0].bytes, seconds: Math.min(...rounds.map((r) => r.seconds)), cpSeconds: Math.min(...rounds.map((r) => r.cpSeconds)) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export default async function run() {
  const killed = await unavailability('SIGKILL');
  const controlled = await unavailability('SIGTERM');
  const c = await catchUp();
  const mb = (s) => c.bytes / 1e6 / s;
  return [
    { name: 'kill -9 of the leader\'s process -> first acks=all write acknowledged (kafkajs)', value: killed, unit: 'ms', reference: { name: 'broker.session.timeout.ms + 1 s', value: 10_000 }, goal: 'ratio <= 1' },
    { name: 'controlled shutdown (SIGTERM) of the leader\'s process -> first acks=all write acknowledged (kafkajs)', value: controlled, unit: 'ms', reference: { name: '1 s', value: 1_000 }, goal: 'ratio <= 1' },
    { name: `catch-up of a replica that missed ${N / 1e6}M x 100 B records (${Math.round(c.bytes / 1e6)} MB of log, best of 3)`, value: mb(c.seconds), unit: 'MB/s', reference: { name: 'cp of the same segment files (best of 3)', value: mb(c.cpSeconds) }, goal: '>= 0.5x' },
  ];
}
