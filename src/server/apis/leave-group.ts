import { LeaveGroup } from '../../protocol/messages/leave-group.js';
import { readGroup } from '../../engine/groups/group-store.js';
import { UnknownMemberIdError } from '../../errors.js';
import type { ApiHandler, RequestContext } from '../context.js';
import { wireError } from '../error-code.js';

interface LeaveGroupRequest {
  groupId: string;
  memberId: string;
  members: Array<{ memberId: string; groupInstanceId: string | null }>;
}

function leave(ctx: RequestContext, groupId: string, memberId: string): number {
  try {
    if (!readGroup(ctx.server.cluster.dataDir, groupId)?.members[memberId]) throw new UnknownMemberIdError(`Member ${memberId} is not part of group ${groupId}.`);
    ctx.server.coordinator.leave(groupId, memberId);
    return 0;
  } catch (err) {
    return wireError(err).errorCode;
  }
}

export const leaveGroup: ApiHandler = {
  spec: LeaveGroup,
  handle(req: LeaveGroupRequest, ctx) {
    if (ctx.apiVersion < 3) return { throttleTimeMs: 0, errorCode: leave(ctx, req.groupId, req.memberId) };
    const members = req.members.map((m) => ({ memberId: m.memberId, groupInstanceId: m.groupInstanceId, errorCode: leave(ctx, req.groupId, m.memberId) }));
    return { throttleTimeMs: 0, errorCode: 0, members };
  },
};
