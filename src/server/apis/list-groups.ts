import { ListGroups } from '../../protocol/messages/list-groups.js';
import type { ApiHandler } from '../context.js';
import { wireError } from '../error-code.js';
import { groupCoordinatorId } from './find-coordinator.js';

export const listGroups: ApiHandler = {
  spec: ListGroups,
  async handle(req: { statesFilter: string[]; typesFilter: string[] }, ctx) {
    try {
      const states = new Set(req.statesFilter.map((s) => s.toLowerCase()));
      const types = new Set(req.typesFilter.map((s) => s.toLowerCase()));
      const groups = (await ctx.server.admin.listGroups())
        // Each broker lists the groups it coordinates, so that clients asking every broker see each group once.
        .filter((g) => groupCoordinatorId(ctx, g.groupId) === ctx.brokerId)
        .filter((g) => (states.size === 0 || states.has(g.state.toLowerCase())) && (types.size === 0 || types.has(g.type.toLowerCase())))
        .map((g) => ({ groupId: g.groupId, protocolType: g.protocolType, groupState: g.state, groupType: g.type.toLowerCase() }));
      return { throttleTimeMs: 0, errorCode: 0, groups };
    } catch (err) {
      return { throttleTimeMs: 0, errorCode: wireError(err).errorCode, groups: [] };
    }
  },
};
