// kafka-consumer-groups through the real bins on the embedded engine, with records produced and
// consumed by the console tools in other processes.
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { bin, cleanTempDirs, remoteMode, ROOT, tempDir } from '../helpers.js';

afterAll(cleanTempDirs);

const HEADER = '\nGROUP           TOPIC           PARTITION  CURRENT-OFFSET  LOG-END-OFFSET  LAG             CONSUMER-ID     HOST            CLIENT-ID';
const lines = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => `${from + i}\n`).join('');

describe('kafka-consumer-groups end to end', () => {
  it('shows LAG 0 after a console consumer read everything, LAG k after k more records; reset, export, from-file, delete', async () => {
    const dir = tempDir();
    expect((await bin('kafka-topics', ['--create', '--topic', 't', '--partitions', '1'], dir)).code).toBe(0);
    expect((await bin('kafka-console-producer', ['--topic', 't'], dir, lines(1, 10))).code).toBe(0);
    const consumed = await bin('kafka-console-consumer', ['--topic', 't', '--from-beginning', '--group', 'g1', '--max-messages', '10'], dir);
    expect(consumed.stdout).toBe(lines(1, 10));

    const row = (current: number, end: number) =>
      `\ng1              t               0          ${String(current).padEnd(15)} ${String(end).padEnd(15)} ${String(end - current).padEnd(15)} -               -               -`;
    expect(await bin('kafka-consumer-groups', ['--describe', '--group', 'g1'], dir)).toEqual({
      code: 0,
      stdout: `${HEADER}${row(10, 10)}\n`,
      stderr: "\nConsumer group 'g1' has no active members.\n",
    });
    await bin('kafka-console-producer', ['--topic', 't'], dir, lines(11, 13));
    expect((await bin('kafka-consumer-groups', ['--describe', '--group', 'g1'], dir)).stdout).toBe(`${HEADER}${row(10, 13)}\n`);

    const exported = await bin('kafka-consumer-groups', ['--reset-offsets', '--group', 'g1', '--topic', 't', '--shift-by', '-4', '--dry-run', '--export'], dir);
    expect(exported).toEqual({ code: 0, stdout: 't,0,6\n\n', stderr: '' });

    const reset = await bin('kafka-consumer-groups', ['--reset-offsets', '--group', 'g1', '--all-topics', '--to-earliest', '--execute'], dir);
    expect(reset.stdout).toBe(`\n${'GROUP'.padEnd(30)} ${'TOPIC'.padEnd(30)} ${'PARTITION'.padEnd(10)} ${'NEW-OFFSET'.padEnd(15)}\n${'g1'.padEnd(30)} ${'t'.padEnd(30)} ${'0'.padEnd(10)} ${'0'.padEnd(15)}\n`);
    expect((await bin('kafka-consumer-groups', ['--describe', '--group', 'g1'], dir)).stdout).toBe(`${HEADER}${row(0, 13)}\n`);
    // The group reads everything again from the reset position.
    expect((await bin('kafka-console-consumer', ['--topic', 't', '--group', 'g1', '--max-messages', '13'], dir)).stdout).toBe(lines(1, 13));

    const plan = join(tempDir(), 'plan.csv');
    writeFileSync(plan, exported.stdout);
    await bin('kafka-consumer-groups', ['--reset-offsets', '--group', 'g1', '--from-file', plan, '--execute'], dir);
    expect((await bin('kafka-consumer-groups', ['--describe', '--group', 'g1'], dir)).stdout).toBe(`${HEADER}${row(6, 13)}\n`);

    expect(await bin('kafka-consumer-groups', ['--delete-offsets', '--group', 'g1', '--topic', 't'], dir)).toEqual({
      code: 0,
      stdout: `Request succeeded for deleting offsets from group g1.\n\n${'TOPIC'.padEnd(15)} ${'PARTITION'.padEnd(10)} ${'STATUS'.padEnd(15)}\n${'t'.padEnd(15)} ${'0'.padEnd(10)} ${'Successful'.padEnd(15)}\n`,
      stderr: '',
    });
    expect(await bin('kafka-consumer-groups', ['--delete', '--group', 'g1'], dir)).toEqual({ code: 0, stdout: "Deletion of requested consumer groups ('g1') was successful.\n", stderr: '' });
    expect(await bin('kafka-consumer-groups', ['--describe', '--group', 'g1'], dir)).toEqual({ code: 1, stdout: '', stderr: "\nError: Consumer group 'g1' does not exist.\n" });
    expect((await bin('kafka-consumer-groups', ['--list'], dir)).stdout).toBe('');
  });

  it('refuses to reset or delete a group with a live member, and describes that member', async () => {
    const dir = tempDir();
    await bin('kafka-topics', ['--create', '--topic', 'live', '--partitions', '2'], dir);
    const child = spawn(join(ROOT, 'bin', 'kafka-console-consumer'), ['--topic', 'live', '--group', 'busy'], {
      env: { ...process.env, KAFKIT_DATA_DIR: dir, NO_COLOR: '1' },
      stdio: ['ignore', 'ignore', 'ignore'],
    });
    try {
      let state = '';
      for (let i = 0; i < 80 && state !== 'Stable'; i++) {
        await new Promise((r) => setTimeout(r, 250));
        const listed = await bin('kafka-consumer-groups', ['--list', '--state'], dir);
        state = /^busy\s+(\S+)/m.exec(listed.stdout)?.[1] ?? '';
      }
      expect(state).toBe('Stable');

      const members = await bin('kafka-consumer-groups', ['--describe', '--group', 'busy', '--members'], dir);
      const [, header, memberRow] = members.stdout.split('\n');
      expect(header).toMatch(/^GROUP {11}CONSUMER-ID +HOST +CLIENT-ID +#PARTITIONS +$/);
      expect(memberRow).toMatch(/^busy {12}console-consumer-[0-9a-f-]{36} \/\S+ +console-consumer +2 +$/);

      const reset = await bin('kafka-consumer-groups', ['--reset-offsets', '--group', 'busy', '--topic', 'live', '--to-earliest', '--execute'], dir);
      expect(reset.code).toBe(1);
      expect(reset.stderr).toBe("\nError: Assignments can only be reset if the group 'busy' is inactive, but the current state is Stable.\n");
      expect(reset.stdout).toBe(`\n${'GROUP'.padEnd(30)} ${'TOPIC'.padEnd(30)} ${'PARTITION'.padEnd(10)} ${'NEW-OFFSET'.padEnd(15)}\n`);

      const del = await bin('kafka-consumer-groups', ['--delete', '--group', 'busy'], dir);
      expect(del).toEqual({
        code: 1,
        stdout: '',
        stderr: "\nError: Deletion of some consumer groups failed:\n* Group 'busy' could not be deleted due to: org.apache.kafka.common.errors.GroupNotEmptyException: The group is not empty.\n",
      });
    } finally {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    }
  });

  // Embedded only: in remote mode the coordinator is the server's listener, as it should be.
  it.skipIf(remoteMode())('--state names no network coordinator in embedded mode (no server may be running); --output json is one line; the help of --members/--offsets', async () => {
    const dir = tempDir();
    expect((await bin('kafka-topics', ['--create', '--topic', 't', '--partitions', '1'], dir)).code).toBe(0);
    await bin('kafka-console-consumer', ['--topic', 't', '--group', 'g1', '--timeout-ms', '200'], dir);
    await bin('kafka-consumer-groups', ['--reset-offsets', '--group', 'g1', '--topic', 't', '--to-earliest', '--execute'], dir);
    const state = await bin('kafka-consumer-groups', ['--describe', '--group', 'g1', '--state'], dir);
    expect(state.stdout).toBe(`\nGROUP           COORDINATOR (ID)          ASSIGNMENT-STRATEGY  STATE                #MEMBERS\ng1              embedded  (1)             -                    Empty                0\n`);
    const json = await bin('kafka-consumer-groups', ['--describe', '--group', 'g1', '--output', 'json'], dir);
    expect(json.stdout).toMatch(/^\[\{"group":"g1","state":"Empty",.*"coordinator":\{"id":1,"host":"embedded","port":-1\}.*\}\]\n$/);
    const help = (await bin('kafka-consumer-groups', ['--help'], dir)).stdout;
    expect(help).not.toContain("'--bootstrap-server' options only");
    expect(help).toContain("'--describe' only (with or without '--bootstrap-server')");
  });
});
