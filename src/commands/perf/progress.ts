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
  const stderr = io.stderr as NodeJS.WritableStream & { isTTY?: boolean };
  const write = (t: string) => void io.stdout.write(`${t}\n`);
  if (!stderr.isTTY) return { update: () => undefined, line: write, stop: () => undefined };
  // ora is ESM-only and loaded only here: runs without a terminal never pay for it.
  const { default: ora } = await import('ora');
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
