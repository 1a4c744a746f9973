import { DescribeCluster } from '../../protocol/messages/describe-cluster.js';
import type { ApiHandler } from '../context.js';

export const describeCluster: ApiHandler = {
  spec: DescribeCluster,
  handle(_req: object, ctx) {
    const { cluster } = ctx.server;
    return {
      throttleTimeMs: 0,
      errorCode: 0,
      errorMessage: null,
      endpointType: 1,
      clusterId: cluster.clusterId,
      controllerId: cluster.controllerId(),
      brokers: ctx.server.liveEndpoints().map((l) => ({ brokerId: l.brokerId, host: l.host, port: l.port, rack: null })),
    };
  },
};
