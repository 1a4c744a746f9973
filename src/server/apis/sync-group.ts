import { SyncGroup } from '../../protocol/messages/sync-group.js';
import { encodeAssignment } from '../../protocol/consumer-protocol.js';
import { RebalanceInProgressError } from '../../errors.js';
import { setTimeout as sleep } from 'node:timers/promises';
import { readGroup } from '../../engine/groups/group-store.js';
import type { ApiHandler } from '../context.js';
import { groupWireError } from '../error-code.js';

interface SyncGroupRequest {
  groupId: string;
  generationId: number;
  memberId: string;
  groupInstanceId?: string | null;
  protocolType: string | null;
  protocolName: string | null;
}

const POLL_MS = 50;
const HEARTBEAT_MS = 1000;
/** A member that waits longer than this for the others is sent back to rejoin. */
const MAX_WAIT_MS = 5 * 60_000;

export const syncGroup: ApiHandler = {
  spec: SyncGroup,
  async handle(req: SyncGroupRequest, ctx) {
    const { coordinator } = ctx.server;
    const fail = (err: unknown) => ({ throttleTimeMs: 0, errorCode: groupWireError(err).errorCode, protocolType: null, protocolName: null, assignment: Buffer.alloc(0) });
    try {
      let view = coordinator.acknowledge(req.groupId, req.memberId, req.generationId, req.groupInstanceId ?? undefined);
      // The assignment takes effect once every member has revoked its old partitions and
      // acknowledged this generation (eager rebalance): until then no partition has two readers.
      // The wait reads the group file without its lock; only once a second does it heartbeat (a
      // locked write that also expires members whose session ran out, so a dead member cannot
      // hold the others here for longer than its session timeout).
      const deadline = Date.now() + MAX_WAIT_MS;
      let heartbeatAt = Date.now();
      while (view.generation === req.generationId && view.state !== 'Stable' && Date.now() < deadline && !ctx.signal.aborted) {
        await sleep(POLL_MS);
        const g = readGroup(ctx.server.cluster.dataDir, req.groupId);
        const moved = !g || g.generation !== req.generationId || g.state === 'Stable' || !g.members[req.memberId];
        if (moved || Date.now() - heartbeatAt >= HEARTBEAT_MS) {
          view = coordinator.heartbeat(req.groupId, req.memberId, req.groupInstanceId ?? undefined);
          heartbeatAt = Date.now();
        }
      }
      if (view.generation !== req.generationId || view.rebalancing || view.state !== 'Stable') {
        throw new RebalanceInProgressError(`Group ${req.groupId} moved on to generation ${view.generation}; rejoin.`);
      }
      return { throttleTimeMs: 0, errorCode: 0, protocolType: 'consumer', protocolName: req.protocolName, assignment: encodeAssignment(view.assignment) };
    } catch (err) {
      return fail(err);
    }
  },
};
