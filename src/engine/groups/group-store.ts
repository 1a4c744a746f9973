// A group's durable state under <dataDir>/groups/<groupId>/: membership (group.json) and committed
// offsets (offsets.json), each replaced atomically under the group's lock.
//
// A damaged group file never stops the tools (one bad group must not break --list for the others):
// a group.json that is not a group's membership is read as an Empty group, which members rejoin and
// --delete removes; offsets.json entries that are not offsets are left out. Each says so on stderr.
import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { AssignmentStrategy, TopicPartition } from '../../client/types.js';
import { readFileIfExists, removeStaleTmpFiles, writeFileAtomicSync } from '../fs/atomic-file.js';
import { withLockSync } from '../fs/lock.js';
import { DataDirError, KafkaStorageError } from '../../errors.js';
import { warn } from '../warn.js';

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

function readJson(path: string): unknown {
  const raw = readFileIfExists(path);
  if (!raw) return undefined;
  try {
    return JSON.parse(String(raw)) as unknown;
  } catch (err) {
    return new Error(`not JSON: ${(err as Error).message}`);
  }
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The first field that is not as a group's membership has it, or null. */
function groupProblem(g: unknown): string | null {
  if (!isObject(g)) return `the file is ${g === null ? 'null' : Array.isArray(g) ? 'an array' : typeof g}, not an object`;
  if (!isObject(g.members)) return '"members" is not an object';
  for (const [id, m] of Object.entries(g.members)) {
    if (!isObject(m) || !Array.isArray(m.topics) || !Array.isArray(m.assignment)) return `member "${id}" is not a member's state`;
  }
  if (!['Empty', 'PreparingRebalance', 'CompletingRebalance', 'Stable'].includes(g.state as string)) return `"state" is ${JSON.stringify(g.state)}`;
  if (!Number.isSafeInteger(g.generation)) return '"generation" is not a whole number';
  if (typeof g.protocolType !== 'string' || typeof g.protocolName !== 'string') return '"protocolType" or "protocolName" is not a string';
  return null;
}

function readGroupFile(dir: string, groupId: string): GroupState {
  const path = join(dir, 'group.json');
  const g = readJson(path);
  if (g === undefined) return emptyGroup(groupId);
  const problem = g instanceof Error ? g.message : groupProblem(g);
  if (problem === null) return g as GroupState;
  warn(`Ignoring ${path} (${problem}): group '${groupId}' is treated as Empty; its members rejoin, or remove it with kafka-consumer-groups --delete --group ${groupId}.`);
  return emptyGroup(groupId);
}

/** Committed offsets as stored, leaving out (with a warning) whatever is not an offset. */
function readOffsetsFile(path: string): OffsetsFile {
  const raw = readJson(path);
  if (raw === undefined) return {};
  if (!isObject(raw)) {
    const problem = raw instanceof Error ? raw.message : `the file is ${raw === null ? 'null' : Array.isArray(raw) ? 'an array' : typeof raw}, not an object`;
    warn(`Ignoring ${path} (${problem}): the group has no committed offsets; set them with kafka-consumer-groups --reset-offsets.`);
    return {};
  }
  const out: OffsetsFile = {};
  for (const [topic, byPartition] of Object.entries(raw)) {
    if (!isObject(byPartition)) {
      warn(`Ignoring topic "${topic}" in ${path} (not an object of partitions): set its offsets with kafka-consumer-groups --reset-offsets.`);
      continue;
    }
    for (const [p, o] of Object.entries(byPartition)) {
      const offset = isObject(o) ? o.offset : undefined;
      if (!/^\d+$/.test(p) || !isObject(o) || typeof offset !== 'number' || !Number.isSafeInteger(offset) || offset < -1) {
        warn(`Ignoring the committed offset of ${topic}-${p} in ${path} (offset ${JSON.stringify(offset) ?? 'missing'} is not a whole number): set it with kafka-consumer-groups --reset-offsets.`);
        continue;
      }
      const entry: StoredOffset = {
        offset,
        leaderEpoch: Number.isSafeInteger(o.leaderEpoch) ? (o.leaderEpoch as number) : null,
        metadata: typeof o.metadata === 'string' ? o.metadata : '',
        commitTimestamp: typeof o.commitTimestamp === 'number' ? o.commitTimestamp : 0,
      };
      (out[topic] ??= {})[p] = entry;
    }
  }
  return out;
}

/** Creates a group's dir, or says in one line why the data dir does not allow it. */
function makeGroupDir(dataDir: string, dir: string): void {
  try {
    mkdirSync(dir, { recursive: true });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    // A new dir takes a block on ext4: on a full disk the fix is space, not permissions.
    if (code === 'ENOSPC' || code === 'EDQUOT') throw new KafkaStorageError(`No space left on device while creating ${dir}: free some disk space and retry.`, { cause: err });
    throw new DataDirError(`Cannot create ${dir} (${code}): the data dir ${dataDir} must be a writable directory; fix its permissions or point KAFKIT_DATA_DIR elsewhere.`, { cause: err });
  }
}

/** Tmp files of dead writers are cleared once per group dir per process. */
const swept = new Set<string>();

export function emptyGroup(groupId: string): GroupState {
  return { groupId, state: 'Empty', generation: 0, protocolType: 'consumer', protocolName: '', leader: null, members: {}, emptySince: Date.now() };
}

export function readGroup(dataDir: string, groupId: string): GroupState | null {
  const dir = groupDir(dataDir, groupId);
  if (!existsSync(dir)) return null;
  return readGroupFile(dir, groupId);
}

export function readOffsets(dataDir: string, groupId: string): OffsetsFile {
  return readOffsetsFile(join(groupDir(dataDir, groupId), 'offsets.json'));
}

/** Runs `fn` under the group's lock with its current state; writes back what `fn` changed. */
export function withGroup<T>(dataDir: string, groupId: string, fn: (g: GroupState, offsets: () => OffsetsFile, saveOffsets: (o: OffsetsFile) => void) => T, options: { create?: boolean } = {}): T {
  const dir = groupDir(dataDir, groupId);
  if (!options.create && !existsSync(dir)) {
    return fn(emptyGroupMarkedMissing(groupId), () => ({}), () => {
      throw new Error('cannot save offsets of a missing group');
    });
  }
  makeGroupDir(dataDir, dir);
  return withLockSync(join(dir, 'group.lock'), () => {
    if (!swept.has(dir)) {
      removeStaleTmpFiles(dir);
      swept.add(dir);
    }
    const g = readGroupFile(dir, groupId);
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
