import { LeaveGroup } from '../../protocol/messages/leave-group.js';
import { readGroup } from '../../engine/groups/group-store.js';
import { FencedInstanceIdError, UnknownMemberIdError } from '../../errors.js';
import type { ApiHandler, RequestContext } from '../context.js';
import { groupWireError } from '../error-code.js';

interface LeaveGroupRequest {
  groupId: string;
  memberId: string;
  members: Array<{ memberId: string; groupInstanceId: string | null }>;
}

/** A static member leaves by its instance id (its member id may be unknown to the caller: an admin's removal). */
function leave(ctx: RequestContext, groupId: string, memberId: string, groupInstanceId: string | null = null): number {
  try {
    const members = Object.values(readGroup(ctx.server.cluster.dataDir, groupId)?.members ?? {});
    const holder = groupInstanceId === null ? undefined : members.find((m) => m.groupInstanceId === groupInstanceId);
    if (holder && memberId && holder.memberId !== memberId) throw new FencedInstanceIdError(`group.instance.id ${groupInstanceId} belongs to another member of group ${groupId}.`);
    const id = holder ? holder.memberId : memberId;
    if (!members.some((m) => m.memberId === id)) throw new UnknownMemberIdError(`Member ${memberId || groupInstanceId} is not part of group ${groupId}.`);
    ctx.server.coordinator.leave(groupId, id);
    return 0;
  } catch (err) {
    return groupWireError(err).errorCode;
  }
}

export const leaveGroup: ApiHandler = {
  spec: LeaveGroup,
  handle(req: LeaveGroupRequest, ctx) {
    if (ctx.apiVersion < 3) return { throttleTimeMs: 0, errorCode: leave(ctx, req.groupId, req.memberId) };
    const members = req.members.map((m) => ({ memberId: m.memberId, groupInstanceId: m.groupInstanceId, errorCode: leave(ctx, req.groupId, m.memberId, m.groupInstanceId) }));
    return { throttleTimeMs: 0, errorCode: 0, members };
  },
};
