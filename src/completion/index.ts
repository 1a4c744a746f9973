// Shell completion, reached before option parsing through two hidden options of every tool:
// `--completion-script bash|zsh` prints the script to source, `--get-completions <words...>` the
// candidates for the last word, one a line.
import { readdirSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import type { CommandIO, ToolSpec } from '../commands/cli.js';
import { completions } from './candidates.js';
import { completionScript } from './script.js';

export function isCompletionRequest(argv: string[]): boolean {
  return argv[0] === '--completion-script' || argv[0] === '--get-completions';
}

export async function runCompletion(tool: ToolSpec, argv: string[], io: CommandIO): Promise<{ text: string; stream: 'stdout' | 'stderr'; code: number }> {
  if (argv[0] === '--get-completions') {
    const found = await completions(tool, argv.slice(1), io.env);
    return { text: found.map((c) => `${c}\n`).join(''), stream: 'stdout', code: 0 };
  }
  const shell = argv[1] ?? 'bash';
  const script = completionScript(shell, toolNames(tool));
  if (!script) return { text: `Unknown shell '${shell}' for --completion-script: use bash or zsh.\n`, stream: 'stderr', code: 1 };
  return { text: script, stream: 'stdout', code: 0 };
}

/** The kafka-* launchers next to the running one (all of kafkit's tools), else this tool alone. */
function toolNames(tool: ToolSpec): string[] {
  const self = process.argv[1];
  if (self && basename(self) === tool.name) {
    try {
      const names = readdirSync(dirname(self)).filter((n) => /^kafka-[a-z-]+$/.test(n));
      if (names.includes(tool.name)) return names.sort();
    } catch {
      // Fall through: this tool alone.
    }
  }
  return [tool.name];
}
