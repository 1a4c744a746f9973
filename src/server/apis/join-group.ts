// Groups served over the protocol share the embedded coordinator (src/engine/groups), which
// computes assignments itself. So every network member is told that a leader other than itself
// was chosen: it sends SyncGroup with no assignments, as a follower does, and gets its partitions
// from the coordinator. Members of one group may be embedded consumers and network clients at once.
import { JoinGroup } from '../../protocol/messages/join-group.js';
import { decodeSubscription } from '../../protocol/consumer-protocol.js';
import { readGroup } from '../../engine/groups/group-store.js';
import type { AssignmentStrategy } from '../../client/types.js';
import { InconsistentGroupProtocolError, InvalidGroupIdError, InvalidSessionTimeoutError, UnknownMemberIdError } from '../../errors.js';
import type { ApiHandler, RequestContext } from '../context.js';
import { groupWireError } from '../error-code.js';

/** The leader id every network member sees; no member has it, so none runs an assignor. */
export const COORDINATOR_LEADER = 'kafkit-coordinator';

interface JoinGroupRequest {
  groupId: string;
  sessionTimeoutMs: number;
  memberId: string;
  /** v5+: a static member (group.instance.id). */
  groupInstanceId?: string | null;
  protocolType: string;
  protocols: Array<{ name: string; metadata: Buffer }>;
}

/** Client assignor names (Java, librdkafka, kafkajs) onto the coordinator's strategies. */
export function strategyOf(name: string): AssignmentStrategy | undefined {
  switch (name) {
    case 'range':
      return 'range';
    case 'roundrobin':
    case 'RoundRobinAssigner':
      return 'roundrobin';
    case 'sticky':
      return 'sticky';
    case 'cooperative-sticky':
      return 'cooperative-sticky';
    default:
      return undefined;
  }
}

function join(req: JoinGroupRequest, ctx: RequestContext) {
  const { cluster, coordinator } = ctx.server;
  if (!req.groupId) throw new InvalidGroupIdError('The group id must not be empty.');
  if (req.protocolType !== 'consumer') {
    throw new InconsistentGroupProtocolError(`Only consumer groups are served (protocol type 'consumer'), not '${req.protocolType}'.`);
  }
  const settings = cluster.settings();
  const min = Number(settings['group.min.session.timeout.ms']);
  const max = Number(settings['group.max.session.timeout.ms']);
  if (req.sessionTimeoutMs < min || req.sessionTimeoutMs > max) {
    throw new InvalidSessionTimeoutError(`session.timeout.ms ${req.sessionTimeoutMs} is outside ${min}..${max}.`);
  }
  const group = readGroup(cluster.dataDir, req.groupId);
  const groupInstanceId = req.groupInstanceId ?? undefined;
  const holder = groupInstanceId === undefined ? undefined : Object.values(group?.members ?? {}).find((m) => m.groupInstanceId === groupInstanceId);
  if (req.memberId && !group?.members[req.memberId] && !holder) throw new UnknownMemberIdError(`Member ${req.memberId} is not part of group ${req.groupId}; rejoin without a member id.`);
  const active = group && Object.values(group.members).some((m) => m.memberId !== req.memberId && m !== holder) ? group.protocolName : '';
  const chosen = req.protocols.find((p) => (active ? strategyOf(p.name) === active : strategyOf(p.name) !== undefined));
  if (!chosen) {
    const offered = req.protocols.map((p) => p.name).join(', ');
    throw new InconsistentGroupProtocolError(
      active ? `Group ${req.groupId} uses ${active}, which this member does not offer (${offered}).` : `None of the assignors offered (${offered}) is supported: use range, roundrobin, sticky or cooperative-sticky.`,
    );
  }
  const { topics } = decodeSubscription(chosen.metadata);
  const view = coordinator.join({
    groupId: req.groupId,
    memberId: req.memberId,
    groupInstanceId,
    clientId: ctx.clientId,
    host: ctx.clientHost,
    sessionTimeoutMs: req.sessionTimeoutMs,
    strategy: strategyOf(chosen.name)!,
    topics,
  });
  return { generationId: view.generation, protocolName: chosen.name, memberId: view.memberId };
}

export const joinGroup: ApiHandler = {
  spec: JoinGroup,
  handle(req: JoinGroupRequest, ctx) {
    const base = { throttleTimeMs: 0, leader: COORDINATOR_LEADER, skipAssignment: false, members: [] };
    try {
      const r = join(req, ctx);
      return { ...base, errorCode: 0, protocolType: 'consumer', ...r };
    } catch (err) {
      return { ...base, errorCode: groupWireError(err).errorCode, generationId: -1, protocolType: null, protocolName: ctx.apiVersion >= 7 ? null : '', memberId: req.memberId };
    }
  },
};
