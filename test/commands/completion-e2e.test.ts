// Shell completion, run as a user gets it: the script printed by --completion-script, sourced in a
// real bash, its function called as bash's programmable completion calls it.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ROOT, bin, cleanTempDirs, tempDir } from '../helpers.js';

afterEach(() => cleanTempDirs());

const BIN = join(ROOT, 'bin');

/** COMPREPLY of the completion function for `line` (the cursor at its end), one entry per line. */
function complete(line: string, dataDir: string): string[] {
  const script = `
source <(kafka-topics --completion-script bash)
COMP_LINE="$1"; COMP_POINT=\${#COMP_LINE}
COMP_WORDS=($COMP_LINE); [[ "$COMP_LINE" =~ [[:space:]]$ ]] && COMP_WORDS+=("")
COMP_CWORD=$(( \${#COMP_WORDS[@]} - 1 ))
# As bash splits words at COMP_WORDBREAKS: its current word starts after the last = or :.
COMP_WORDS[COMP_CWORD]="\${COMP_WORDS[COMP_CWORD]##*[=:]}"
_kafkit_complete
printf '%s\\n' "\${COMPREPLY[@]}"`;
  const out = execFileSync('bash', ['-c', script, 'bash', line], {
    env: { ...process.env, PATH: `${BIN}:${process.env.PATH}`, KAFKIT_DATA_DIR: dataDir },
    encoding: 'utf8',
  });
  return out.split('\n').filter(Boolean);
}

describe('shell completion', () => {
  it('registers one function for every kafka-* tool', () => {
    const out = execFileSync('bash', ['-c', 'source <(kafka-topics --completion-script bash); complete -p kafka-console-consumer kafka-dump-log kafka-topics'], {
      env: { ...process.env, PATH: `${BIN}:${process.env.PATH}` },
      encoding: 'utf8',
    });
    expect(out).toMatch(/^complete -o default( -o nosort)? -F _kafkit_complete kafka-console-consumer$/m);
    expect(out).toMatch(/-F _kafkit_complete kafka-dump-log$/m);
    const tools = readdirSync(BIN).filter((n) => n.startsWith('kafka-'));
    const script = execFileSync(join(BIN, 'kafka-topics'), ['--completion-script', 'bash'], { encoding: 'utf8' });
    for (const t of tools) expect(script).toContain(` ${t}`);
  });

  it('completes flag names, topics after --topic and groups after --group, from the data dir', async () => {
    const dir = tempDir();
    await bin('kafka-topics', ['--create', '--topic', 'orders', '--partitions', '1'], dir);
    await bin('kafka-topics', ['--create', '--topic', 'other', '--partitions', '1'], dir);
    await bin('kafka-console-producer', ['--topic', 'orders'], dir, 'a\n');
    await bin('kafka-console-consumer', ['--topic', 'orders', '--group', 'billing', '--from-beginning', '--max-messages', '1'], dir);

    expect(complete('kafka-topics --to', dir)).toEqual(['--topic', '--topic-id', '--topics-with-overrides']);
    expect(complete('kafka-topics --describe --topic ', dir)).toEqual(['orders', 'other']);
    expect(complete('kafka-topics --describe --topic or', dir)).toEqual(['orders']);
    expect(complete('kafka-consumer-groups --describe --group ', dir)).toEqual(['billing']);
    expect(complete('kafka-console-consumer --group b', dir)).toEqual(['billing']);
    // bash's own word after `=` is what gets replaced.
    expect(complete('kafka-topics --describe --topic=ot', dir)).toEqual(['other']);
    // A single-valued option already given is not offered again; a repeatable one is.
    const flags = complete('kafka-console-consumer --topic orders --property a=b --', dir);
    expect(flags).not.toContain('--topic');
    expect(flags).toContain('--property');
    expect(flags).toContain('--from-beginning');
    // Other values (numbers, files): no candidates, so bash falls back to file names.
    expect(complete('kafka-topics --create --partitions ', dir)).toEqual([]);
  });

  it('reads a missing data dir without creating it', () => {
    const dir = join(tempDir(), 'absent');
    expect(complete('kafka-topics --topic ', dir)).toEqual([]);
    expect(existsSync(dir)).toBe(false);
  });

  it('offers nothing, quickly, for a --bootstrap-server that does not answer', () => {
    const started = Date.now();
    expect(complete('kafka-topics --bootstrap-server 127.0.0.1:1 --describe --topic ', tempDir())).toEqual([]);
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('completes in real zsh: the script registers with compinit and its function offers topics and flags', async () => {
    const dir = tempDir();
    await bin('kafka-topics', ['--create', '--topic', 'orders'], dir);
    // compadd is zsh's completion builtin; standing in for it prints what the function offers.
    const script = `autoload -U compinit; compinit -u -D; source <(kafka-topics --completion-script zsh); print "comp=$_comps[kafka-topics]"
compadd() { print -l -- "$@" }
words=(kafka-topics --describe --topic ""); CURRENT=4; _kafkit_complete
words=(kafka-topics --descr); CURRENT=2; _kafkit_complete`;
    const out = execFileSync('zsh', ['-fc', script], { encoding: 'utf8', env: { ...process.env, PATH: `${BIN}:${process.env.PATH}`, KAFKIT_DATA_DIR: dir } });
    expect(out).toBe('comp=_kafkit_complete\n-Q\n--\norders\n-Q\n--\n--describe\n');
  });

  it('prints a zsh script, and refuses other shells', () => {
    const zsh = execFileSync(join(BIN, 'kafka-topics'), ['--completion-script', 'zsh'], { encoding: 'utf8' });
    expect(zsh).toContain('compdef _kafkit_complete ');
    expect(zsh).toContain('--get-completions');
    let failure: { status: number; stderr: string } | undefined;
    try {
      execFileSync(join(BIN, 'kafka-topics'), ['--completion-script', 'fish'], { encoding: 'utf8', stdio: 'pipe' });
    } catch (err) {
      failure = err as { status: number; stderr: string };
    }
    expect(failure?.status).toBe(1);
    expect(failure?.stderr).toBe("Unknown shell 'fish' for --completion-script: use bash or zsh.\n");
  });
});
