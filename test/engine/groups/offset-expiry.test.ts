import { afterEach, describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Cluster } from '../../../src/engine/cluster/cluster.js';
import { createGroupAdmin } from '../../../src/client/embedded/group-admin.js';
import { groupDir } from '../../../src/engine/groups/group-store.js';
import { cleanTempDirs, tempDir } from '../../helpers.js';

afterEach(cleanTempDirs);

describe('committed offsets', () => {
  it('are stored with metadata and commit time, and expire once the group stayed empty for offsets.retention.minutes', async () => {
    const dir = tempDir();
    const cluster = Cluster.open(dir);
    cluster.createTopic({ name: 't' });
    const admin = createGroupAdmin(cluster);
    await admin.alterCommittedOffsets('g', [{ topic: 't', partition: 0, offset: 7 }]);
    expect(await admin.fetchCommittedOffsets('g')).toEqual([{ topic: 't', partition: 0, offset: 7, leaderEpoch: null, metadata: '' }]);
    const stored = JSON.parse(readFileSync(join(groupDir(dir, 'g'), 'offsets.json'), 'utf8'));
    expect(stored.t['0'].commitTimestamp).toBeGreaterThan(Date.now() - 60_000);
    expect((await admin.listGroups()).map((g) => g.groupId)).toEqual(['g']);
    // the group has been empty for 7 days and a minute (offsets.retention.minutes = 10080)
    const statePath = join(groupDir(dir, 'g'), 'group.json');
    const state = JSON.parse(readFileSync(statePath, 'utf8'));
    writeFileSync(statePath, JSON.stringify({ ...state, state: 'Empty', members: {}, emptySince: Date.now() - (10080 + 1) * 60_000 }));
    expect(await admin.listGroups()).toEqual([]);
    expect(await admin.fetchCommittedOffsets('g')).toEqual([]);
  });
});
