// The perf tools' progress display: an ora spinner on stderr when stderr is a terminal, nothing
// otherwise (a pipe gets Kafka's lines only). Report lines printed on stdout while it spins clear
// it first, so that the two never share a terminal line.
import type { CommandIO } from '../cli.js';

export interface Progress {
  /** Replaces the spinner's text (a no-op without a terminal). */
  update(text: string): void;
  /** Writes a report line to stdout. */
  line(text: string): void;
  stop(): void;
}

export async function startProgress(io: CommandIO, text: string): Promise<Progress> {
  const stderr = io.stderr as NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  const write = (t: string) => void io.stdout.write(`${t}\n`);
  // A terminal of width 0 (a pty nobody sized) would have ora clear endless wrapped lines.
  if (!stderr.isTTY || !stderr.columns) return { update: () => undefined, line: write, stop: () => undefined };
  const ora = await loadOra();
  const spinner = ora({ text, stream: stderr, color: io.env.NO_COLOR ? false : 'cyan', discardStdin: false }).start();
  return {
    update: (t) => {
      spinner.text = t;
    },
    line: (t) => {
      spinner.clear();
      write(t);
      spinner.render();
    },
    stop: () => spinner.stop(),
  };
}

/**
 * ora is ESM-only and loaded only here: runs without a terminal never pay for it. In the CommonJS
 * bundle, import() becomes require(esm) wrapped in esbuild's __toESM, whose `default` is then the
 * whole namespace rather than ora's default export: unwrap once more.
 */
async function loadOra(): Promise<typeof import('ora').default> {
  const loaded = (await import('ora')) as { default: unknown };
  const first = loaded.default as { default?: unknown };
  return (typeof first === 'function' ? first : first.default) as typeof import('ora').default;
}
