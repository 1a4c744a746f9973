// Kafka's consumer partition assignors, as pure functions of the members' subscriptions.
import type { AssignmentStrategy, TopicPartition } from '../../client/types.js';

export interface AssignorMember {
  memberId: string;
  topics: string[];
  /** Partitions the member owned in the previous generation (cooperative-sticky keeps them). */
  owned?: TopicPartition[];
}

export type Assignment = Record<string, TopicPartition[]>;

const byId = (a: AssignorMember, b: AssignorMember) => (a.memberId < b.memberId ? -1 : a.memberId > b.memberId ? 1 : 0);

/** RangeAssignor: per topic, consecutive ranges; the first (count % members) members get one more. */
export function rangeAssign(members: AssignorMember[], partitionCounts: Record<string, number>): Assignment {
  const out: Assignment = Object.fromEntries(members.map((m) => [m.memberId, []]));
  const topics = [...new Set(members.flatMap((m) => m.topics))].sort();
  for (const topic of topics) {
    const n = partitionCounts[topic] ?? 0;
    const subs = members.filter((m) => m.topics.includes(topic)).sort(byId);
    if (subs.length === 0) continue;
    const per = Math.floor(n / subs.length);
    const extra = n % subs.length;
    subs.forEach((m, i) => {
      const start = per * i + Math.min(i, extra);
      const len = per + (i < extra ? 1 : 0);
      for (let p = start; p < start + len; p++) out[m.memberId].push({ topic, partition: p });
    });
  }
  return out;
}

/** RoundRobinAssignor: all partitions sorted by topic then partition, dealt round-robin to subscribers. */
export function roundRobinAssign(members: AssignorMember[], partitionCounts: Record<string, number>): Assignment {
  const out: Assignment = Object.fromEntries(members.map((m) => [m.memberId, []]));
  const sorted = [...members].sort(byId);
  const topics = [...new Set(members.flatMap((m) => m.topics))].sort();
  let i = 0;
  for (const topic of topics) {
    for (let p = 0; p < (partitionCounts[topic] ?? 0); p++) {
      for (let tries = 0; tries < sorted.length; tries++) {
        const m = sorted[i++ % sorted.length];
        if (m.topics.includes(topic)) {
          out[m.memberId].push({ topic, partition: p });
          break;
        }
      }
    }
  }
  return out;
}

/**
 * Sticky assignment, the target of Kafka's StickyAssignor and CooperativeStickyAssignor: as
 * balanced as the subscriptions allow (no member has two more partitions than another that could
 * take one of them), and every member keeps as many of its owned partitions as that balance allows.
 */
export function stickyAssign(members: AssignorMember[], partitionCounts: Record<string, number>): Assignment {
  const out: Assignment = Object.fromEntries(members.map((m) => [m.memberId, []]));
  const all: TopicPartition[] = [];
  for (const topic of [...new Set(members.flatMap((m) => m.topics))].sort()) {
    for (let p = 0; p < (partitionCounts[topic] ?? 0); p++) all.push({ topic, partition: p });
  }
  const key = (tp: TopicPartition) => `${tp.topic}\0${tp.partition}`;
  const sorted = [...members].sort(byId);
  const taken = new Set<string>();
  const ownedBy = new Map<string, string>();
  const quota = (m: AssignorMember) => {
    const eligible = all.filter((tp) => m.topics.includes(tp.topic)).length;
    const subscribers = sorted.filter((o) => o.topics.some((t) => m.topics.includes(t))).length || 1;
    return Math.ceil(eligible / subscribers);
  };
  for (const m of sorted) {
    const q = quota(m);
    for (const tp of m.owned ?? []) {
      if (out[m.memberId].length >= q) break;
      if (!m.topics.includes(tp.topic) || tp.partition >= (partitionCounts[tp.topic] ?? 0) || taken.has(key(tp))) continue;
      out[m.memberId].push(tp);
      taken.add(key(tp));
      ownedBy.set(key(tp), m.memberId);
    }
  }
  const leastLoaded = (candidates: AssignorMember[]) => candidates.reduce((a, b) => (out[b.memberId].length < out[a.memberId].length ? b : a));
  for (const tp of all) {
    if (taken.has(key(tp))) continue;
    const candidates = sorted.filter((m) => m.topics.includes(tp.topic));
    if (candidates.length === 0) continue;
    out[leastLoaded(candidates).memberId].push(tp);
    taken.add(key(tp));
  }
  // Keeping owned partitions up to the ceiling can leave a member two short (3 members, 4
  // partitions, two owners of 2 each): move partitions, those the donor did not own first.
  for (let moved = true; moved; ) {
    moved = false;
    for (const donor of [...sorted].sort((a, b) => out[b.memberId].length - out[a.memberId].length)) {
      const list = out[donor.memberId];
      const movable = [...list].sort((a, b) => Number(ownedBy.get(key(a)) === donor.memberId) - Number(ownedBy.get(key(b)) === donor.memberId));
      for (const tp of movable) {
        const takers = sorted.filter((m) => m.topics.includes(tp.topic) && out[m.memberId].length + 1 < list.length);
        if (takers.length === 0) continue;
        list.splice(list.indexOf(tp), 1);
        out[leastLoaded(takers).memberId].push(tp);
        moved = true;
        break;
      }
      if (moved) break;
    }
  }
  for (const list of Object.values(out)) list.sort((a, b) => (a.topic < b.topic ? -1 : a.topic > b.topic ? 1 : a.partition - b.partition));
  return out;
}

export function assign(strategy: AssignmentStrategy, members: AssignorMember[], partitionCounts: Record<string, number>): Assignment {
  switch (strategy) {
    case 'roundrobin':
      return roundRobinAssign(members, partitionCounts);
    case 'sticky':
    case 'cooperative-sticky':
      return stickyAssign(members, partitionCounts);
    default:
      return rangeAssign(members, partitionCounts);
  }
}
