// Completion with --bootstrap-server: topic and group names come from the cluster, not the data dir.
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { ROOT, bin, tempDir } from '../helpers.js';
import { runProcess, serverPerFile } from './server-process.js';

const ctx = serverPerFile();

it('lists the topics and groups of the cluster named by --bootstrap-server', async () => {
  await bin('kafka-topics', ['--create', '--topic', 'remote-only', '--partitions', '1'], ctx.dataDir);
  await bin('kafka-console-producer', ['--topic', 'remote-only'], ctx.dataDir, 'a\n');
  await bin('kafka-console-consumer', ['--topic', 'remote-only', '--group', 'far-group', '--from-beginning', '--max-messages', '1'], ctx.dataDir);
  const env = { KAFKIT_DATA_DIR: tempDir() };
  const server = ctx.server.bootstrap.split(',')[0];
  const topics = await runProcess(join(ROOT, 'bin', 'kafka-topics'), ['--get-completions', '--bootstrap-server', server, '--describe', '--topic', 'rem'], { env });
  expect(topics.stdout).toBe('remote-only\n');
  const groups = await runProcess(join(ROOT, 'bin', 'kafka-consumer-groups'), ['--get-completions', `--bootstrap-server=${server}`, '--describe', '--group', ''], { env });
  expect(groups.stdout).toBe('far-group\n');
});
