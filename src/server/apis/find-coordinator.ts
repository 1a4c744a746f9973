import { FindCoordinator } from '../../protocol/messages/find-coordinator.js';
import { CoordinatorNotAvailableError } from '../../errors.js';
import type { ApiHandler, RequestContext } from '../context.js';
import { wireError } from '../error-code.js';

const GROUP = 0;

/** A group's coordinator is a fixed broker picked by hashing the group id (Java's String.hashCode). */
export function groupCoordinatorId(ctx: RequestContext, groupId: string): number {
  const ids = ctx.server.liveEndpoints().map((l) => l.brokerId).sort((a, b) => a - b);
  let h = 0;
  for (let i = 0; i < groupId.length; i++) h = (Math.imul(31, h) + groupId.charCodeAt(i)) | 0;
  return ids[(h & 0x7fffffff) % ids.length];
}

function coordinatorOf(ctx: RequestContext, key: string, keyType: number) {
  if (keyType !== GROUP) {
    const e = wireError(new CoordinatorNotAvailableError('Transactions are not supported by kafkit, so there is no transaction coordinator.'));
    return { key, nodeId: -1, host: '', port: -1, ...e };
  }
  const id = groupCoordinatorId(ctx, key);
  const l = ctx.server.liveEndpoints().find((e) => e.brokerId === id);
  if (!l) {
    const e = new CoordinatorNotAvailableError('No broker is alive to coordinate groups.');
    return { key, nodeId: -1, host: '', port: -1, errorCode: e.code, errorMessage: e.message };
  }
  return { key, nodeId: l.brokerId, host: l.host, port: l.port, errorCode: 0, errorMessage: null };
}

export const findCoordinator: ApiHandler = {
  spec: FindCoordinator,
  handle(req: { key: string; keyType: number; coordinatorKeys: string[] }, ctx) {
    if (ctx.apiVersion >= 4) return { throttleTimeMs: 0, coordinators: req.coordinatorKeys.map((k) => coordinatorOf(ctx, k, req.keyType)) };
    const c = coordinatorOf(ctx, req.key, req.keyType);
    return { throttleTimeMs: 0, errorCode: c.errorCode, errorMessage: c.errorMessage, nodeId: c.nodeId, host: c.host, port: c.port };
  },
};
