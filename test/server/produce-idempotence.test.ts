// Produce over the wire with an idempotent producer's batches: a retried batch is acknowledged with
// its first offset and not written twice; a gap in sequence numbers and an old epoch are refused.
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../src/server/server.js';
import { Produce } from '../../src/protocol/messages/produce.js';
import { InitProducerId } from '../../src/protocol/messages/init-producer-id.js';
import { Reader } from '../../src/protocol/reader.js';
import { decode, encode, type ApiSpec } from '../../src/protocol/schema.js';
import { Writer } from '../../src/protocol/writer.js';
import { encodeBatch } from '../../src/engine/record/batch.js';
import { Cluster } from '../../src/engine/cluster/cluster.js';
import { ReplicaManager } from '../../src/engine/cluster/replica-manager.js';
import { cleanTempDirs, tempDir } from '../helpers.js';

let server: RunningServer;
let dataDir: string;
let leaderPort: number;

beforeAll(async () => {
  dataDir = tempDir();
  Cluster.open(dataDir).createTopic({ name: 'idem', partitions: 1, replicationFactor: 3 });
  server = await startServer({ dataDir, host: '127.0.0.1', basePort: 0, log: () => {} });
  const leader = Cluster.open(dataDir).topic('idem')!.partitions[0].leader!;
  leaderPort = server.listeners.find((l) => l.brokerId === leader)!.port;
});

afterAll(async () => {
  await server.stop();
  cleanTempDirs();
});

let correlation = 0;
/** One request on a fresh connection; resolves with the decoded response. */
function call<T>(api: ApiSpec, version: number, body: object): Promise<T> {
  const id = ++correlation;
  const w = new Writer();
  w.int16(api.apiKey);
  w.int16(version);
  w.int32(id);
  w.string('test', false);
  if (version >= api.request.flexibleFrom) w.uvarint(0);
  encode(api.request, version, body, w);
  const payload = w.toBuffer();
  const size = Buffer.alloc(4);
  size.writeInt32BE(payload.length);
  return new Promise((resolve, reject) => {
    const socket = connect(leaderPort, '127.0.0.1');
    let got = Buffer.alloc(0);
    socket.on('data', (d) => {
      got = Buffer.concat([got, d]);
      if (got.length >= 4 && got.length >= 4 + got.readInt32BE(0)) {
        socket.destroy();
        const r = new Reader(got, 4, 4 + got.readInt32BE(0));
        expect(r.int32()).toBe(id);
        if (version >= api.response.flexibleFrom) r.uvarint();
        resolve(decode<T>(api.response, version, r));
      }
    });
    socket.on('error', reject);
    socket.write(Buffer.concat([size, payload]));
  });
}

type ProduceResponse = { responses: Array<{ partitionResponses: Array<{ errorCode: number; baseOffset: number }> }> };

const produce = async (producerId: number, producerEpoch: number, baseSequence: number, values: string[]) => {
  const records = encodeBatch(values.map((v) => ({ key: null, value: Buffer.from(v) })), { producerId, producerEpoch, baseSequence });
  const r = await call<ProduceResponse>(Produce, 7, { transactionalId: null, acks: -1, timeoutMs: 5000, topicData: [{ name: 'idem', partitionData: [{ index: 0, records }] }] });
  return r.responses[0].partitionResponses[0];
};

describe('idempotent produce', () => {
  it('acknowledges a retried batch with its original offset, refuses gaps and old epochs', async () => {
    const init = await call<{ errorCode: number; producerId: number; producerEpoch: number }>(InitProducerId, 1, { transactionalId: null, transactionTimeoutMs: 60000 });
    expect(init.errorCode).toBe(0);
    expect(init.producerId).toBeGreaterThan(0);
    const pid = init.producerId;
    expect(await produce(pid, 0, 0, ['a', 'b'])).toMatchObject({ errorCode: 0, baseOffset: 0 });
    expect(await produce(pid, 0, 2, ['c'])).toMatchObject({ errorCode: 0, baseOffset: 2 });
    // The retry of the second batch (its acknowledgement was lost): same offset, nothing written.
    expect(await produce(pid, 0, 2, ['c'])).toMatchObject({ errorCode: 0, baseOffset: 2 });
    // Sequence 5 skips 3 and 4.
    expect(await produce(pid, 0, 5, ['x'])).toMatchObject({ errorCode: 45 });
    expect(await produce(pid, 0, 3, ['d'])).toMatchObject({ errorCode: 0, baseOffset: 3 });
    // A bumped epoch starts over; the old epoch is then fenced.
    expect(await produce(pid, 1, 0, ['e'])).toMatchObject({ errorCode: 0, baseOffset: 4 });
    expect(await produce(pid, 0, 4, ['f'])).toMatchObject({ errorCode: 47 });
    // Two batches for one partition in one request are refused (INVALID_RECORD), as Kafka does.
    const two = Buffer.concat([encodeBatch([{ key: null, value: Buffer.from('g') }]), encodeBatch([{ key: null, value: Buffer.from('h') }])]);
    const r = await call<ProduceResponse>(Produce, 7, { transactionalId: null, acks: 1, timeoutMs: 5000, topicData: [{ name: 'idem', partitionData: [{ index: 0, records: two }] }] });
    expect(r.responses[0].partitionResponses[0]).toMatchObject({ errorCode: 87 });
    const replicas = new ReplicaManager(Cluster.open(dataDir));
    expect(replicas.highWatermark('idem', 0)).toBe(5);
    replicas.close();
  });
});
