import { DeleteGroups } from '../../protocol/messages/delete-groups.js';
import type { ApiHandler } from '../context.js';
import { groupWireError } from '../error-code.js';

export const deleteGroups: ApiHandler = {
  spec: DeleteGroups,
  async handle(req: { groupsNames: string[] }, ctx) {
    const results = await ctx.server.admin.deleteGroups(req.groupsNames);
    return { throttleTimeMs: 0, results: results.map((r) => ({ groupId: r.item, errorCode: r.error ? groupWireError(r.error).errorCode : 0 })) };
  },
};
