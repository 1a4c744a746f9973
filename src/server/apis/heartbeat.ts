import { Heartbeat } from '../../protocol/messages/heartbeat.js';
import { RebalanceInProgressError } from '../../errors.js';
import type { ApiHandler } from '../context.js';
import { groupWireError } from '../error-code.js';

export const heartbeat: ApiHandler = {
  spec: Heartbeat,
  handle(req: { groupId: string; generationId: number; memberId: string; groupInstanceId?: string | null }, ctx) {
    try {
      const view = ctx.server.coordinator.heartbeat(req.groupId, req.memberId, req.groupInstanceId ?? undefined);
      // A new generation (someone joined or left, or a session expired): the member must rejoin.
      if (view.generation !== req.generationId || view.rebalancing) throw new RebalanceInProgressError('The group is rebalancing.');
      return { throttleTimeMs: 0, errorCode: 0 };
    } catch (err) {
      return { throttleTimeMs: 0, errorCode: groupWireError(err).errorCode };
    }
  },
};
