// A group's durable state under <dataDir>/groups/<groupId>/: membership (group.json) and committed
// offsets (offsets.json), each replaced atomically under the group's lock.
import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { AssignmentStrategy, TopicPartition } from '../../client/types.js';
import { readFileIfExists, writeFileAtomicSync } from '../fs/atomic-file.js';
import { withLockSync } from '../fs/lock.js';
import { DataDirError } from '../../errors.js';

export type StoredGroupState = 'Empty' | 'PreparingRebalance' | 'CompletingRebalance' | 'Stable';

export interface MemberState {
  memberId: string;
  /** group.instance.id of a static member: it keeps its place across restarts within its session. */
  groupInstanceId?: string;
  clientId: string;
  host: string;
  sessionTimeoutMs: number;
  lastHeartbeat: number;
  strategy: AssignmentStrategy;
  topics: string[];
  /** The generation this member has caught up with (revoked its old partitions for). */
  generation: number;
  assignment: TopicPartition[];
}

export interface GroupState {
  groupId: string;
  state: StoredGroupState;
  generation: number;
  protocolType: string;
  protocolName: string;
  leader: string | null;
  members: Record<string, MemberState>;
  /** When the group last became Empty (for offsets.retention.minutes). */
  emptySince: number;
}

export interface StoredOffset {
  offset: number;
  leaderEpoch: number | null;
  metadata: string;
  commitTimestamp: number;
}

/** topic -> partition -> offset */
export type OffsetsFile = Record<string, Record<string, StoredOffset>>;

export function groupsDir(dataDir: string): string {
  return join(dataDir, 'groups');
}

/** Group ids are encoded so that any id is a safe single path component. */
export function groupDir(dataDir: string, groupId: string): string {
  return join(groupsDir(dataDir), encodeURIComponent(groupId).replace(/^\./, '%2E'));
}

export function listGroupIds(dataDir: string): string[] {
  let names: string[] = [];
  try {
    names = readdirSync(groupsDir(dataDir));
  } catch {
    return [];
  }
  return names.filter((n) => !n.startsWith('.')).map((n) => decodeURIComponent(n)).sort();
}

export function groupExists(dataDir: string, groupId: string): boolean {
  return existsSync(groupDir(dataDir, groupId));
}

function readJson<T>(path: string, fallback: T): T {
  const raw = readFileIfExists(path);
  if (!raw) return fallback;
  try {
    return JSON.parse(String(raw)) as T;
  } catch (err) {
    throw new DataDirError(`${path} is corrupt (${(err as Error).message}); delete the group with kafka-consumer-groups --delete or remove that file.`);
  }
}

export function emptyGroup(groupId: string): GroupState {
  return { groupId, state: 'Empty', generation: 0, protocolType: 'consumer', protocolName: '', leader: null, members: {}, emptySince: Date.now() };
}

export function readGroup(dataDir: string, groupId: string): GroupState | null {
  const dir = groupDir(dataDir, groupId);
  if (!existsSync(dir)) return null;
  return readJson(join(dir, 'group.json'), emptyGroup(groupId));
}

export function readOffsets(dataDir: string, groupId: string): OffsetsFile {
  return readJson(join(groupDir(dataDir, groupId), 'offsets.json'), {});
}

/** Runs `fn` under the group's lock with its current state; writes back what `fn` changed. */
export function withGroup<T>(dataDir: string, groupId: string, fn: (g: GroupState, offsets: () => OffsetsFile, saveOffsets: (o: OffsetsFile) => void) => T, options: { create?: boolean } = {}): T {
  const dir = groupDir(dataDir, groupId);
  if (!options.create && !existsSync(dir)) {
    return fn(emptyGroupMarkedMissing(groupId), () => ({}), () => {
      throw new Error('cannot save offsets of a missing group');
    });
  }
  mkdirSync(dir, { recursive: true });
  return withLockSync(join(dir, 'group.lock'), () => {
    const g = readJson(join(dir, 'group.json'), emptyGroup(groupId));
    const before = JSON.stringify(g);
    let offsets: OffsetsFile | undefined;
    const result = fn(
      g,
      () => (offsets ??= readOffsets(dataDir, groupId)),
      (o) => writeFileAtomicSync(join(dir, 'offsets.json'), `${JSON.stringify(o)}\n`),
    );
    // Written when it changed, and when first created: emptySince must survive for offsets to expire.
    const path = join(dir, 'group.json');
    if (existsSync(dir) && (JSON.stringify(g) !== before || !existsSync(path))) writeFileAtomicSync(path, `${JSON.stringify(g)}\n`, { fsync: false });
    return result;
  });
}

const MISSING = Symbol('missing');
function emptyGroupMarkedMissing(groupId: string): GroupState {
  return Object.assign(emptyGroup(groupId), { [MISSING]: true });
}
export function isMissing(g: GroupState): boolean {
  return (g as unknown as Record<symbol, unknown>)[MISSING] === true;
}

export function removeGroupDir(dataDir: string, groupId: string): void {
  rmSync(groupDir(dataDir, groupId), { recursive: true, force: true });
}
