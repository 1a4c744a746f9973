// What every API handler sees: the shared engine objects (one set per server process) and the
// request's own connection facts.
import type { Admin } from '../client/types.js';
import type { Cluster } from '../engine/cluster/cluster.js';
import type { ReplicaManager } from '../engine/cluster/replica-manager.js';
import type { GroupCoordinator } from '../engine/groups/coordinator.js';
import type { ApiSpec } from '../protocol/schema.js';
import type { ProducerStates } from './producer-states.js';

export interface Listener {
  brokerId: number;
  host: string;
  port: number;
}

export interface ServerContext {
  cluster: Cluster;
  replicas: ReplicaManager;
  coordinator: GroupCoordinator;
  admin: Admin;
  producers: ProducerStates;
  /** The listeners of the brokers this process serves, by broker id. */
  listeners: Map<number, Listener>;
  /** The live brokers' addresses (this process's and other servers'), for Metadata and coordinators. */
  liveEndpoints(): Listener[];
  /** socket.request.max.bytes */
  maxRequestBytes: number;
  log(message: string): void;
}

export interface RequestContext {
  server: ServerContext;
  /** The broker whose listener received the request. */
  brokerId: number;
  apiVersion: number;
  clientId: string;
  /** As Kafka reports a client's host: `/127.0.0.1`. */
  clientHost: string;
  /** Aborted when the connection closes (ends long polls early). */
  signal: AbortSignal;
}

/** A handler returns the response body, or null when the protocol wants no response (Produce with acks=0). */
export interface ApiHandler {
  spec: ApiSpec;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  handle(request: any, ctx: RequestContext): Promise<object | null> | object | null;
}
