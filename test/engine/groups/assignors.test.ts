import { describe, expect, it } from 'vitest';
import { assign, rangeAssign, roundRobinAssign, stickyAssign } from '../../../src/engine/groups/assignors.js';
import { assignor } from '../../../src/commands/kafka-console-consumer.js';
import { decodeStickyUserData, encodeStickyUserData } from '../../../src/client/remote/assigners.js';

const short = (a: Record<string, { topic: string; partition: number }[]>) =>
  Object.fromEntries(Object.entries(a).map(([m, tps]) => [m, tps.map((tp) => `${tp.topic}${tp.partition}`)]));

describe('assignors', () => {
  const members = [{ memberId: 'c1', topics: ['t0', 't1'] }, { memberId: 'c0', topics: ['t0', 't1'] }];
  const counts = { t0: 3, t1: 3 };
  it('range: per topic, the first members get the extra partition', () => {
    expect(short(rangeAssign(members, counts))).toEqual({ c0: ['t00', 't01', 't10', 't11'], c1: ['t02', 't12'] });
  });
  it('roundrobin: all partitions dealt in turn', () => {
    expect(short(roundRobinAssign(members, counts))).toEqual({ c0: ['t00', 't02', 't11'], c1: ['t01', 't10', 't12'] });
  });
  it('sticky: keeps owned partitions while balancing', () => {
    const owned = [
      { memberId: 'a', topics: ['t'], owned: [0, 1, 2, 3].map((p) => ({ topic: 't', partition: p })) },
      { memberId: 'b', topics: ['t'], owned: [] },
    ];
    const result = short(stickyAssign(owned, { t: 4 }));
    expect(result.a).toEqual(['t0', 't1']);
    expect(result.b).toEqual(['t2', 't3']);
  });
  it('sticky: stays balanced when keeping every owned partition would not be', () => {
    const tps = (...ps: number[]) => ps.map((p) => ({ topic: 't', partition: p }));
    const result = short(stickyAssign([
      { memberId: 'a', topics: ['t'], owned: tps(0, 1) },
      { memberId: 'b', topics: ['t'], owned: tps(2, 3) },
      { memberId: 'c', topics: ['t'], owned: [] },
    ], { t: 4 }));
    expect(Object.values(result).map((l) => l.length).sort()).toEqual([1, 1, 2]);
    expect(result.c).toHaveLength(1);
    // Each of a and b keeps at least one of its own.
    expect(result.a.some((p) => ['t0', 't1'].includes(p)) && result.b.some((p) => ['t2', 't3'].includes(p))).toBe(true);
    expect([...result.a, ...result.b, ...result.c].sort()).toEqual(['t0', 't1', 't2', 't3']);
  });
  it("sticky: Kafka's StickyAssignor runs the sticky assignment", () => {
    const owned = [{ memberId: 'x', topics: ['t'], owned: [{ topic: 't', partition: 3 }] }, { memberId: 'y', topics: ['t'] }];
    expect(short(assign('sticky', owned, { t: 4 })).x).toContain('t3');
  });
});

describe('partition.assignment.strategy', () => {
  it("maps Java's assignor class names, the first of a list winning", () => {
    expect(assignor('org.apache.kafka.clients.consumer.RangeAssignor')).toBe('range');
    expect(assignor('org.apache.kafka.clients.consumer.RoundRobinAssignor')).toBe('roundrobin');
    expect(assignor('org.apache.kafka.clients.consumer.StickyAssignor')).toBe('sticky');
    expect(assignor('org.apache.kafka.clients.consumer.CooperativeStickyAssignor')).toBe('cooperative-sticky');
    expect(assignor('org.apache.kafka.clients.consumer.StickyAssignor, org.apache.kafka.clients.consumer.RangeAssignor')).toBe('sticky');
    expect(assignor('sticky')).toBe('sticky');
    expect(() => assignor('com.example.MyAssignor')).toThrow(
      'Invalid value com.example.MyAssignor for configuration partition.assignment.strategy: use range, roundrobin, sticky or cooperative-sticky (or their Kafka class names).',
    );
  });
  it("encodes the previous assignment as Java's StickyAssignor user data", () => {
    const owned = [{ topic: 'a', partition: 1 }, { topic: 'a', partition: 0 }, { topic: 'bé', partition: 7 }];
    const data = encodeStickyUserData(owned, 5);
    expect(data.readInt32BE(0)).toBe(2);
    expect(data.readInt32BE(data.length - 4)).toBe(5);
    expect(decodeStickyUserData(data)).toEqual(owned);
    expect(decodeStickyUserData(Buffer.from([1, 2]))).toEqual([]);
  });
});
