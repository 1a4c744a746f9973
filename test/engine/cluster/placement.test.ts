import { describe, expect, it } from 'vitest';
import { assignReplicas } from '../../../src/engine/cluster/placement.js';

describe('rack-unaware replica placement', () => {
  it("matches Kafka's AdminUtils test vector", () => {
    expect(assignReplicas([0, 1, 2, 3, 4], 10, 3, { startIndex: 0 })).toEqual([
      [0, 1, 2], [1, 2, 3], [2, 3, 4], [3, 4, 0], [4, 0, 1], [0, 2, 3], [1, 3, 4], [2, 4, 0], [3, 0, 1], [4, 1, 2],
    ]);
  });
  it('refuses more replicas than brokers with Kafka 4 text', () => {
    expect(() => assignReplicas([1, 2, 3], 1, 4)).toThrow(
      'Unable to replicate the partition 4 time(s): The target replication factor of 4 cannot be reached because only 3 broker(s) are registered.',
    );
  });
});
