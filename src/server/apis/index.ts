// Every API this server answers. ApiVersions advertises exactly this list.
import type { ApiHandler } from '../context.js';
import { apiVersionsHandler } from './api-versions.js';
import { fetch } from './fetch.js';
import { findCoordinator } from './find-coordinator.js';
import { initProducerId } from './init-producer-id.js';
import { listOffsets } from './list-offsets.js';
import { metadata } from './metadata.js';
import { produce } from './produce.js';
import { joinGroup } from './join-group.js';
import { syncGroup } from './sync-group.js';
import { heartbeat } from './heartbeat.js';
import { leaveGroup } from './leave-group.js';
import { offsetCommit } from './offset-commit.js';
import { offsetFetch } from './offset-fetch.js';
import { listGroups } from './list-groups.js';
import { describeGroups } from './describe-groups.js';
import { deleteGroups } from './delete-groups.js';
import { offsetDelete } from './offset-delete.js';
import { createTopics } from './create-topics.js';
import { deleteTopics } from './delete-topics.js';
import { createPartitions } from './create-partitions.js';
import { describeConfigs } from './describe-configs.js';
import { alterConfigs } from './alter-configs.js';
import { incrementalAlterConfigs } from './incremental-alter-configs.js';
import { deleteRecords } from './delete-records.js';
import { describeCluster } from './describe-cluster.js';
import { describeLogDirs } from './describe-log-dirs.js';
import { offsetForLeaderEpoch } from './offset-for-leader-epoch.js';
import { electLeaders } from './elect-leaders.js';

export function handlers(): ApiHandler[] {
  const list: ApiHandler[] = [
    produce, fetch, listOffsets, metadata, findCoordinator, initProducerId,
    joinGroup, syncGroup, heartbeat, leaveGroup, offsetCommit, offsetFetch, listGroups, describeGroups, deleteGroups, offsetDelete,
    createTopics, deleteTopics, createPartitions, describeConfigs, alterConfigs, incrementalAlterConfigs, deleteRecords, describeCluster, describeLogDirs,
    offsetForLeaderEpoch, electLeaders,
  ];
  const map = new Map<number, ApiHandler>(list.map((h) => [h.spec.apiKey, h]));
  list.push(apiVersionsHandler(map));
  map.set(18, list[list.length - 1]);
  return list;
}
