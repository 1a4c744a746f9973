import { DescribeGroups } from '../../protocol/messages/describe-groups.js';
import { encodeAssignment, encodeSubscription } from '../../protocol/consumer-protocol.js';
import { readGroup } from '../../engine/groups/group-store.js';
import type { ApiHandler } from '../context.js';
import { wireError } from '../error-code.js';

export const describeGroups: ApiHandler = {
  spec: DescribeGroups,
  async handle(req: { groups: string[] }, ctx) {
    const { admin, cluster } = ctx.server;
    const groups = await Promise.all(
      req.groups.map(async (groupId) => {
        try {
          const [d] = await admin.describeGroups([groupId]);
          const stored = readGroup(cluster.dataDir, groupId);
          return {
            errorCode: 0,
            groupId,
            groupState: d.state,
            protocolType: d.state === 'Dead' ? '' : d.protocolType,
            protocolData: d.assignmentStrategy,
            members: d.members.map((m) => ({
              memberId: m.memberId,
              groupInstanceId: m.groupInstanceId,
              clientId: m.clientId,
              clientHost: m.host,
              memberMetadata: encodeSubscription(stored?.members[m.memberId]?.topics ?? []),
              memberAssignment: encodeAssignment(m.assignment),
            })),
          };
        } catch (err) {
          return { errorCode: wireError(err).errorCode, groupId, groupState: 'Dead', protocolType: '', protocolData: '', members: [] };
        }
      }),
    );
    return { throttleTimeMs: 0, groups };
  },
};
