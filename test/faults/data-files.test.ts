// Valid JSON of the wrong shape, bad settings and a data dir that is not a directory (issue 16
// "silent or unclear errors", issue 14): one line naming the file and the field, through the bins.
import { afterEach, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { bin, cleanTempDirs, tempDir } from '../helpers.js';
import { readOffsets, withGroup } from '../../src/engine/groups/group-store.js';
import { captureWarnings } from '../../src/engine/warn.js';
import { DataDirError } from '../../src/errors.js';

afterEach(() => cleanTempDirs());

async function dataDirWithGroups(): Promise<string> {
  const dir = tempDir();
  expect((await bin('kafka-topics', ['--create', '--topic', 't', '--partitions', '2'], dir)).code).toBe(0);
  expect((await bin('kafka-console-producer', ['--topic', 't'], dir, 'a\nb\n')).code).toBe(0);
  for (const g of ['g1', 'g2']) expect((await bin('kafka-console-consumer', ['--topic', 't', '--from-beginning', '--group', g, '--timeout-ms', '1000'], dir)).code).toBe(0);
  return dir;
}

describe('metadata.json and cluster.json of the wrong shape', () => {
  it('null, or an old layout, is one line naming the file and the field, exit 1', async () => {
    const dir = tempDir();
    expect((await bin('kafka-topics', ['--create', '--topic', 't'], dir)).code).toBe(0);
    const good = readFileSync(join(dir, 'metadata.json'), 'utf8');
    writeFileSync(join(dir, 'metadata.json'), 'null');
    expect(await bin('kafka-topics', ['--list'], dir)).toEqual({
      code: 1,
      stdout: '',
      stderr: `Error while executing topic command : ${join(dir, 'metadata.json')} is corrupt (the file is null, expected an object); restore it from a backup or start with an empty data dir.\n`,
    });
    const old = JSON.parse(good);
    delete old.topics.t.configs;
    writeFileSync(join(dir, 'metadata.json'), JSON.stringify(old));
    expect((await bin('kafka-topics', ['--describe', '--topic', 't'], dir)).stderr).toBe(
      `Error while executing topic command : ${join(dir, 'metadata.json')} is corrupt (topics."t".configs is missing, expected an object); restore it from a backup or start with an empty data dir.\n`,
    );
    writeFileSync(join(dir, 'metadata.json'), JSON.stringify({ version: 1, topics: [] }));
    expect((await bin('kafka-topics', ['--list'], dir)).stderr).toContain('(topics is an array, expected an object)');
  });

  it('num.partitions=abc in cluster.json fails clearly instead of creating a topic with 0 partitions', async () => {
    const dir = tempDir();
    expect((await bin('kafka-topics', ['--list'], dir)).code).toBe(0);
    const path = join(dir, 'cluster.json');
    const cluster = JSON.parse(readFileSync(path, 'utf8'));
    cluster.settings['num.partitions'] = 'abc';
    writeFileSync(path, JSON.stringify(cluster));
    const r = await bin('kafka-console-producer', ['--topic', 'fresh'], dir, 'x\n');
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`Error: ${path} is corrupt (settings."num.partitions" is "abc", expected a whole number >= 1); restore it from a backup or start with an empty data dir.\n`);
    writeFileSync(path, 'null');
    expect((await bin('kafka-topics', ['--list'], dir)).stderr).toBe(
      `Error while executing topic command : ${path} is corrupt (the file is null, expected an object); restore it from a backup or start with an empty data dir.\n`,
    );
  });

  it('a data dir that is a file is named as such', async () => {
    const file = join(tempDir(), 'not-a-dir');
    writeFileSync(file, 'x');
    expect(await bin('kafka-topics', ['--list'], file)).toEqual({
      code: 1,
      stdout: '',
      stderr: `Error while executing topic command : ${file} is a file, not a directory: point KAFKIT_DATA_DIR at a directory, or move that file away.\n`,
    });
  });
});

describe('damaged group files', () => {
  it('a group.json of the wrong shape: --list lists every group with a warning, and --delete removes it', async () => {
    const dir = await dataDirWithGroups();
    const path = join(dir, 'groups', 'g1', 'group.json');
    writeFileSync(path, 'null');
    const warning = `WARN Ignoring ${path} (the file is null, not an object): group 'g1' is treated as Empty; its members rejoin, or remove it with kafka-consumer-groups --delete --group g1.\n`;
    expect(await bin('kafka-consumer-groups', ['--list'], dir)).toEqual({ code: 0, stdout: 'g1\ng2\n', stderr: warning });
    writeFileSync(path, '{"members": [1, 2');
    expect(await bin('kafka-consumer-groups', ['--delete', '--group', 'g1'], dir)).toMatchObject({ code: 0, stdout: "Deletion of requested consumer groups ('g1') was successful.\n" });
    expect(existsSync(join(dir, 'groups', 'g1'))).toBe(false);
    expect(await bin('kafka-consumer-groups', ['--list'], dir)).toEqual({ code: 0, stdout: 'g2\n', stderr: '' });
  });

  it('an offset of "abc" is left out with a warning, and the other offsets still count', () => {
    const dir = tempDir();
    const gdir = join(dir, 'groups', 'g');
    mkdirSync(gdir, { recursive: true });
    const path = join(gdir, 'offsets.json');
    writeFileSync(path, JSON.stringify({ t: { 0: { offset: 'abc', leaderEpoch: null, metadata: '', commitTimestamp: 1 }, 1: { offset: 7, leaderEpoch: null, metadata: '', commitTimestamp: 1 } } }));
    const warnings: string[] = [];
    const restore = captureWarnings(warnings);
    try {
      expect(readOffsets(dir, 'g')).toEqual({ t: { 1: { offset: 7, leaderEpoch: null, metadata: '', commitTimestamp: 1 } } });
    } finally {
      restore();
    }
    expect(warnings).toEqual([`WARN Ignoring the committed offset of t-0 in ${path} (offset "abc" is not a whole number): set it with kafka-consumer-groups --reset-offsets.`]);
  });

  it('stale tmp files of dead writers go when the group is next opened; a groups dir that cannot be made is named', () => {
    const dir = tempDir();
    const gdir = join(dir, 'groups', 'g');
    mkdirSync(gdir, { recursive: true });
    const stale = join(gdir, 'offsets.json.2147483646.0badc0de.tmp');
    const mine = join(gdir, `offsets.json.${process.pid}.0badc0de.tmp`);
    writeFileSync(stale, '{}');
    writeFileSync(mine, '{}');
    withGroup(dir, 'g', () => undefined);
    expect(existsSync(stale)).toBe(false);
    expect(existsSync(mine)).toBe(true);
    const blocked = tempDir();
    writeFileSync(join(blocked, 'groups'), 'a file where the groups dir belongs');
    expect(() => withGroup(blocked, 'g', () => undefined, { create: true })).toThrow(DataDirError);
    expect(() => withGroup(blocked, 'g', () => undefined, { create: true })).toThrow(
      `Cannot create ${join(blocked, 'groups', 'g')} (ENOTDIR): the data dir ${blocked} must be a writable directory; fix its permissions or point KAFKIT_DATA_DIR elsewhere.`,
    );
  });
});
