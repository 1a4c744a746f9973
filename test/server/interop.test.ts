// What independent clients and hand-made requests found against kafka-server-start: a
// subscription layout a client mislabels, partition APIs sent to a broker that does not lead the
// partition, transactional batches without a transactional id, internal topics asked for by name,
// and batches whose CRC is valid but whose records are not. Every refusal is in the server's log.
import { beforeAll, describe, expect, it } from 'vitest';
import { DeleteRecords } from '../../src/protocol/messages/delete-records.js';
import { JoinGroup } from '../../src/protocol/messages/join-group.js';
import { Metadata } from '../../src/protocol/messages/metadata.js';
import { Produce } from '../../src/protocol/messages/produce.js';
import { encodeBatch } from '../../src/engine/record/batch.js';
import { bin } from '../helpers.js';
import { gzipBombBatch, hugeValueBatch, wrongCountBatch } from '../engine/record/poison.js';
import { serverPerFile } from './server-process.js';
import { call } from './wire.js';

const ctx = serverPerFile({
  prepare: async (dir) => {
    await bin('kafka-topics', ['--create', '--topic', 'keep', '--partitions', '1', '--replication-factor', '3'], dir);
    await bin('kafka-console-producer', ['--topic', 'keep'], dir, 'a\nb\nc\n');
  },
});

let leader: string;
let follower: string;
let any: string;

interface MetadataReply {
  brokers: Array<{ nodeId: number; host: string; port: number }>;
  topics: Array<{ errorCode: number; name: string; isInternal: boolean; partitions: Array<{ leaderId: number }> }>;
}
interface ProduceReply {
  responses: Array<{ partitionResponses: Array<{ errorCode: number; baseOffset: number; errorMessage: string | null }> }>;
}

beforeAll(async () => {
  any = ctx.server.bootstrap.split(',')[0];
  const md = await call<MetadataReply>(any, Metadata, 8, { topics: [{ name: 'keep' }], allowAutoTopicCreation: false, includeClusterAuthorizedOperations: false, includeTopicAuthorizedOperations: false });
  const address = (id: number) => md.brokers.filter((b) => b.nodeId === id).map((b) => `${b.host}:${b.port}`)[0];
  const leaderId = md.topics[0].partitions[0].leaderId;
  leader = address(leaderId);
  follower = address(md.brokers.find((b) => b.nodeId !== leaderId)!.nodeId);
});

const produce = (address: string, records: Buffer, transactionalId: string | null = null) =>
  call<ProduceReply>(address, Produce, 8, { transactionalId, acks: -1, timeoutMs: 5000, topicData: [{ name: 'keep', partitionData: [{ index: 0, records }] }] }).then(
    (r) => r.responses[0].partitionResponses[0],
  );
const good = () => encodeBatch([{ key: null, value: Buffer.from('good') }]);

/** The log end offset, from where a good batch lands: refused batches must not have moved it. */
async function logEnd(): Promise<number> {
  return (await produce(leader, good())).baseOffset + 1;
}

describe('consumer groups', () => {
  const join = (metadata: Buffer, protocolType = 'consumer') =>
    call<{ errorCode: number; memberId: string }>(any, JoinGroup, 2, { groupId: 'kgo', sessionTimeoutMs: 10_000, rebalanceTimeoutMs: 10_000, memberId: '', protocolType, protocols: [{ name: 'range', metadata }] }, 'kafka-go');

  it("lets segmentio/kafka-go join: its subscription says version 1 but has the version-0 layout", async () => {
    // version 1 | topics ['keep'] | user data: empty, and no owned partitions
    const kafkaGo = Buffer.from('0001' + '00000001' + '0004' + Buffer.from('keep').toString('hex') + '00000000', 'hex');
    const r = await join(kafkaGo);
    expect(r.errorCode).toBe(0);
    expect(r.memberId).not.toBe('');
  });

  it('logs a refused request once, with the API, the client, the error and the reason; repeats are held back', async () => {
    for (let i = 0; i < 3; i++) expect((await join(Buffer.alloc(0), 'connect')).errorCode).toBe(23);
    // The log line can reach our end of the server's stderr pipe after the answers: wait for it.
    await expect.poll(() => ctx.server.stderr(), { timeout: 10_000 }).toContain('Refused JoinGroup');
    const lines = ctx.server.stderr().split('\n').filter((l) => l.includes('Refused JoinGroup'));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      /^\[[-\d:.TZ]+\] Refused JoinGroup v2 from client 'kafka-go' at 127\.0\.0\.1:\d+ \(broker \d\) with INCONSISTENT_GROUP_PROTOCOL \(23\): Only consumer groups are served \(protocol type 'consumer'\), not 'connect'\.$/,
    );
  });
});

describe('the leader rule', () => {
  it('DeleteRecords sent to a broker that does not lead the partition is NOT_LEADER_OR_FOLLOWER and deletes nothing', async () => {
    const del = (address: string) =>
      call<{ topics: Array<{ partitions: Array<{ errorCode: number; lowWatermark: number }> }> }>(address, DeleteRecords, 1, { topics: [{ name: 'keep', partitions: [{ partitionIndex: 0, offset: 1 }] }], timeoutMs: 5000 }).then(
        (r) => r.topics[0].partitions[0],
      );
    expect(await del(follower)).toMatchObject({ errorCode: 6, lowWatermark: -1 });
    // The log line can reach our end of the server's stderr pipe after the answer: wait for it.
    await expect.poll(() => ctx.server.stderr(), { timeout: 10_000 }).toMatch(/Refused DeleteRecords v1 from client 'wire-test' .* with NOT_LEADER_OR_FOLLOWER \(6\): Broker \d is not the leader of keep-0 \(the leader is \d\)\./);
    expect(await del(leader)).toMatchObject({ errorCode: 0, lowWatermark: 1 });
  });

  it('Produce sent to a broker that does not lead the partition is NOT_LEADER_OR_FOLLOWER', async () => {
    expect((await produce(follower, good())).errorCode).toBe(6);
  });
});

describe('Produce validation', () => {
  it('refuses a transactional batch sent without a transactional id (TRANSACTIONAL_ID_AUTHORIZATION_FAILED) and stores nothing', async () => {
    const before = await logEnd();
    const r = await produce(leader, encodeBatch([{ key: null, value: Buffer.from('txn') }], { isTransactional: true, producerId: 1, producerEpoch: 0, baseSequence: 0 }));
    expect(r.errorCode).toBe(53);
    expect(await logEnd()).toBe(before + 1);
  });

  it.each([
    ['a record claiming a 1 GiB value', hugeValueBatch, 87, /Record 0 of a batch of 1 is invalid: value length 1073741824 runs past the end of its record in topic partition keep-0\./],
    ['a record count that does not match the records', wrongCountBatch, 87, /Record 2 of a batch of 5 is invalid: the batch data ends before it in topic partition keep-0\./],
    ['a gzip bomb of 200M records', gzipBombBatch, 2, /decompresses to more than 67108864 bytes; refusing it as a decompression bomb/],
  ])('refuses a batch with a valid CRC and %s, and stores nothing', async (_what, make, code, message) => {
    const before = await logEnd();
    const r = await produce(leader, make());
    expect(r.errorCode).toBe(code);
    expect(r.errorMessage).toMatch(message);
    expect(await logEnd()).toBe(before + 1);
  });
});

describe('internal topics', () => {
  it.each(['__consumer_offsets', '__transaction_state'])('Metadata naming %s answers UNKNOWN_TOPIC_OR_PARTITION and creates nothing', async (name) => {
    const md = await call<MetadataReply>(any, Metadata, 8, { topics: [{ name }], allowAutoTopicCreation: true, includeClusterAuthorizedOperations: false, includeTopicAuthorizedOperations: false });
    expect(md.topics).toEqual([expect.objectContaining({ name, errorCode: 3, isInternal: true, partitions: [] })]);
    const all = await call<MetadataReply>(any, Metadata, 8, { topics: null, allowAutoTopicCreation: false, includeClusterAuthorizedOperations: false, includeTopicAuthorizedOperations: false });
    expect(all.topics.map((t) => t.name)).toEqual(['keep']);
  });
});
