// The remote backend's re-run of the controller's checks, for refusals whose text kafkajs dropped.
import { describe, expect, it } from 'vitest';
import type { Admin } from '../../../src/client/types.js';
import { explainCreatePartitionsError, explainCreateTopicError } from '../../../src/client/remote/broker-texts.js';
import { InvalidConfigError, InvalidPartitionsError, InvalidReplicationFactorError, InvalidTopicError, TopicExistsError } from '../../../src/errors.js';

const fakeAdmin = (over: Partial<Admin> = {}): Admin =>
  ({
    describeCluster: async () => ({ clusterId: 'c', controllerId: 1, brokers: [1, 2, 3].map((id) => ({ id, host: 'h', port: 1, rack: null })) }),
    listTopics: async () => ['my.t', 'other'],
    describeTopics: async (names: string[]) => names.map((name) => ({ name, topicId: '', internal: false, partitions: [0, 1, 2, 3].map((partition) => ({ partition, leader: 1, replicas: [1], isr: [1], elr: null, lastKnownElr: null })) })),
    ...over,
  }) as unknown as Admin;

describe('broker texts put back for the remote backend', () => {
  it("gives Kafka's text for a refused config, name, replication factor or partition count", async () => {
    const generic = (E: new (m: string) => Error) => new E('generic') as InvalidConfigError;
    expect((await explainCreateTopicError(generic(InvalidConfigError), { name: 't', configs: { 'retention.ms': 'abc' } }, fakeAdmin())).message).toBe(
      'Invalid value abc for configuration retention.ms: Not a number of type LONG',
    );
    expect((await explainCreateTopicError(generic(InvalidTopicError), { name: 'my_t' }, fakeAdmin())).message).toBe("Topic 'my_t' collides with existing topic: my.t");
    expect((await explainCreateTopicError(generic(InvalidReplicationFactorError), { name: 't', replicationFactor: 4 }, fakeAdmin())).message).toBe(
      'Unable to replicate the partition 4 time(s): The target replication factor of 4 cannot be reached because only 3 broker(s) are registered.',
    );
    expect((await explainCreatePartitionsError(generic(InvalidPartitionsError), 't', 3, undefined, fakeAdmin())).message).toBe('The topic t currently has 4 partition(s); 3 would not be an increase.');
    expect((await explainCreatePartitionsError(generic(InvalidPartitionsError), 't', 4, undefined, fakeAdmin())).message).toBe('Topic already has 4 partition(s).');
  });

  it('keeps the broker error when the check finds nothing, finds another kind, or cannot run', async () => {
    const unknownRule = new InvalidConfigError('generic');
    expect(await explainCreateTopicError(unknownRule, { name: 't', configs: { 'retention.ms': '1000' } }, fakeAdmin())).toBe(unknownRule);
    const rf = new InvalidReplicationFactorError('generic');
    expect(await explainCreateTopicError(rf, { name: 't', replicationFactor: 2 }, fakeAdmin())).toBe(rf);
    const down = fakeAdmin({ describeCluster: async () => Promise.reject(new Error('down')) });
    expect(await explainCreateTopicError(rf, { name: 't', replicationFactor: 4 }, down)).toBe(rf);
    const exists = new TopicExistsError("Topic 't' already exists.");
    expect(await explainCreateTopicError(exists, { name: 't' }, fakeAdmin())).toBe(exists);
  });
});
