// The controller's partition-state rules, as pure functions on one partition's state: what happens
// when a broker goes away or comes back, and the elections kafka-leader-election asks for. The
// caller applies them to a copy of the metadata under the metadata lock and writes it atomically,
// so every step is all-or-nothing. A new leader bumps the leader epoch, as in KRaft; an ISR
// change alone does not.
import type { PartitionState } from './cluster.js';

export type ElectionType = 'PREFERRED' | 'UNCLEAN';

export interface Eligibility {
  alive(broker: number): boolean;
  /** unclean.leader.election.enable for this partition's topic. */
  unclean: boolean;
}

export type ElectionOutcome = 'elected' | 'ELECTION_NOT_NEEDED' | 'PREFERRED_LEADER_NOT_AVAILABLE' | 'ELIGIBLE_LEADERS_NOT_AVAILABLE';

function setLeader(p: PartitionState, leader: number | null): void {
  p.leader = leader;
  p.leaderEpoch++;
}

/** The first live ISR member in replica order (Kafka's preferred order), or null. */
function cleanCandidate(p: PartitionState, e: Eligibility, except?: number): number | null {
  return p.replicas.find((b) => b !== except && p.isr.includes(b) && e.alive(b)) ?? null;
}

/** An out-of-sync live replica, for an unclean election: it leads with what it has. */
function uncleanCandidate(p: PartitionState, e: Eligibility, except?: number): number | null {
  return p.replicas.find((b) => b !== except && e.alive(b)) ?? null;
}

/**
 * Broker `id` is fenced or shut down: it leaves the ISR (never emptying it, as KRaft keeps the
 * last member so that it can lead again when it returns) and, if it led, leadership moves to a
 * live ISR member, or to any live replica when unclean election is enabled, or to none.
 * Returns whether the partition changed.
 */
export function removeBroker(p: PartitionState, id: number, e: Eligibility): boolean {
  if (!p.replicas.includes(id)) return false;
  let changed = false;
  if (p.isr.includes(id) && p.isr.length > 1) {
    p.isr = p.isr.filter((b) => b !== id);
    changed = true;
  }
  if (p.leader === id) {
    const clean = cleanCandidate(p, e, id);
    if (clean !== null) setLeader(p, clean);
    else {
      const unclean = e.unclean ? uncleanCandidate(p, e, id) : null;
      if (unclean !== null) p.isr = [unclean];
      setLeader(p, unclean);
    }
    changed = true;
  }
  return changed;
}

/** A partition without a leader gets one when a live broker can take it (after a broker returned). */
export function electIfLeaderless(p: PartitionState, e: Eligibility): boolean {
  if (p.leader !== null && e.alive(p.leader)) return false;
  const clean = cleanCandidate(p, e);
  if (clean !== null) {
    setLeader(p, clean);
    return true;
  }
  if (!e.unclean) {
    if (p.leader === null) return false;
    setLeader(p, null);
    return true;
  }
  const unclean = uncleanCandidate(p, e);
  if (unclean === null) return false;
  p.isr = [unclean];
  setLeader(p, unclean);
  return true;
}

/** kafka-leader-election's two kinds, with Kafka's outcomes for a partition that needs none. */
export function elect(p: PartitionState, type: ElectionType, e: Eligibility): ElectionOutcome {
  if (type === 'PREFERRED') {
    const preferred = p.replicas[0];
    if (p.leader === preferred) return 'ELECTION_NOT_NEEDED';
    if (!e.alive(preferred) || !p.isr.includes(preferred)) return 'PREFERRED_LEADER_NOT_AVAILABLE';
    setLeader(p, preferred);
    return 'elected';
  }
  if (p.leader !== null && e.alive(p.leader)) return 'ELECTION_NOT_NEEDED';
  const clean = cleanCandidate(p, e);
  if (clean !== null) {
    setLeader(p, clean);
    return 'elected';
  }
  const unclean = uncleanCandidate(p, e);
  if (unclean === null) return 'ELIGIBLE_LEADERS_NOT_AVAILABLE';
  p.isr = [unclean];
  setLeader(p, unclean);
  return 'elected';
}

/** A caught-up replica rejoins the ISR (appended, as Kafka lists it). */
export function addToIsr(p: PartitionState, id: number): boolean {
  if (p.isr.includes(id) || !p.replicas.includes(id)) return false;
  p.isr = [...p.isr, id];
  return true;
}

/** A replica that missed or could not take a write leaves the ISR (never its last member). */
export function removeFromIsr(p: PartitionState, id: number): boolean {
  if (!p.isr.includes(id) || p.isr.length <= 1 || p.leader === id) return false;
  p.isr = p.isr.filter((b) => b !== id);
  return true;
}

/**
 * Kafka's auto leader rebalance: for each broker whose share of partitions led by someone else,
 * among those it prefers, is above leader.imbalance.per.broker.percentage, the preferred leader
 * takes them back where it is alive and in sync.
 */
export function imbalancedPartitions(parts: PartitionState[], e: Eligibility, percentage: number): PartitionState[] {
  const byPreferred = new Map<number, PartitionState[]>();
  for (const p of parts) {
    const list = byPreferred.get(p.replicas[0]) ?? [];
    list.push(p);
    byPreferred.set(p.replicas[0], list);
  }
  const out: PartitionState[] = [];
  for (const [broker, list] of byPreferred) {
    if (!e.alive(broker)) continue;
    const off = list.filter((p) => p.leader !== broker);
    if (off.length === 0 || (off.length * 100) / list.length <= percentage) continue;
    out.push(...off.filter((p) => p.isr.includes(broker)));
  }
  return out;
}
