import { describe, expect, it } from 'vitest';
import { rangeAssign, roundRobinAssign, stickyAssign } from '../../../src/engine/groups/assignors.js';

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
});
