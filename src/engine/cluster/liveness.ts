// Who is alive. A broker served by a kafka-server-start process lives while that process does: the
// process records itself (pid and start time, so a reused pid does not count) in the metadata and
// touches a lease file in <dataDir>/brokers/; a broker without a process is an embedded one, alive
// unless it was stopped. Every process that opens the data dir reads the same facts, so tools,
// producers and servers agree on the live set without talking to each other.
import { mkdirSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pidAlive, processStartTime as startTimeOf } from '../fs/lock.js';

export interface BrokerOwner {
  pid: number;
  /** The process's start time in clock ticks since boot (/proc/<pid>/stat field 22), '' where unknown. */
  start: string;
  /** broker.session.timeout.ms of the owning server: a lease older than this is expired. */
  sessionTimeoutMs: number;
}

export interface BrokerRecord {
  state: 'online' | 'stopped';
  owner?: BrokerOwner;
  /** Bumped at every registration, as Kafka's broker epoch. */
  epoch: number;
  /** Where its server listens, for other servers' Metadata answers. */
  endpoint?: { host: string; port: number };
}

export const DEFAULT_SESSION_TIMEOUT_MS = 9000;

/**
 * A process's start time (lock.ts reads it from /proc), so that a pid reused later does not match;
 * '' for a live process where /proc does not tell, null for none.
 */
export function processStartTime(pid: number): string | null {
  const start = startTimeOf(pid);
  if (start !== undefined) return start;
  return process.platform !== 'linux' && pidAlive(pid) ? '' : null;
}

export function leasePath(dataDir: string, brokerId: number): string {
  return join(dataDir, 'brokers', `broker-${brokerId}.lease`);
}

/** The owning server renews its lease by touching the file (its mtime is the last heartbeat). */
export function renewLease(dataDir: string, brokerId: number): void {
  const path = leasePath(dataDir, brokerId);
  const now = new Date();
  try {
    utimesSync(path, now, now);
  } catch {
    mkdirSync(join(dataDir, 'brokers'), { recursive: true });
    writeFileSync(path, `${process.pid}\n`);
  }
}

/** Whether the process that owns a broker still serves it: alive, the same process, lease fresh. */
export function ownerAlive(dataDir: string, brokerId: number, owner: BrokerOwner, now = Date.now()): boolean {
  if (owner.pid === process.pid) return true;
  const start = processStartTime(owner.pid);
  if (start === null || (owner.start !== '' && start !== '' && start !== owner.start)) return false;
  const st = statSync(leasePath(dataDir, brokerId), { throwIfNoEntry: false });
  // A server that is alive but stopped renewing (SIGSTOP, a hung disk) is fenced after the timeout.
  return st !== undefined && now - st.mtimeMs <= owner.sessionTimeoutMs;
}

export function brokerAlive(dataDir: string, id: number, record: BrokerRecord | undefined, now = Date.now()): boolean {
  if (!record) return true;
  if (record.state === 'stopped') return false;
  return record.owner ? ownerAlive(dataDir, id, record.owner, now) : true;
}

export function ownerOf(sessionTimeoutMs: number): BrokerOwner {
  return { pid: process.pid, start: processStartTime(process.pid) ?? '', sessionTimeoutMs };
}
