// The README's headline command, run as written (minus `npm install`), twice: its output must be
// what the README says it is.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cleanTempDirs, ROOT, tempDir } from '../helpers.js';

afterAll(cleanTempDirs);

const headline = /^npm install && (bin\/kafka-topics .*)$/m.exec(readFileSync(join(ROOT, 'README.md'), 'utf8'))![1];

describe('the README headline', () => {
  it('prints the topic, the count, the last three lines and the lag table; run again, the next 1000', () => {
    const dir = tempDir();
    const run = () => spawnSync('sh', ['-c', `{ ${headline}; } 2>&1`], { cwd: ROOT, env: { ...process.env, KAFKIT_DATA_DIR: dir }, encoding: 'utf8' });
    const first = run();
    expect(first.status).toBe(0);
    expect(first.stdout).toMatch(/^Created topic orders\.\nProcessed a total of 1000 messages\n998\n999\n1000\n\nConsumer group 'g1' has no active members\.\n\nGROUP /);
    const second = run();
    expect(second.status).toBe(0);
    expect(second.stdout).toMatch(/^Processed a total of 1000 messages\n998\n999\n1000\n\nConsumer group 'g1' has no active members\.\n\nGROUP /);
    // Every record of both runs was consumed: LAG 0 everywhere, 2000 records committed in all.
    const ends = [...second.stdout.matchAll(/^g1 +orders +\d +(\d+) +(\d+) +0 /gm)].map((m) => [Number(m[1]), Number(m[2])]);
    expect(ends).toHaveLength(3);
    expect(ends.every(([c, e]) => c === e)).toBe(true);
    expect(ends.reduce((n, [c]) => n + c, 0)).toBe(2000);
  }, 60_000);
});
