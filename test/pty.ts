// Runs a real bin/* launcher on a pseudo-terminal, where the tools behave differently (spinner,
// prompts, colour). util-linux's `script` provides the terminal: its stdin is typed into the
// terminal, and the terminal's output (stdout and stderr together, as a user sees them) is its stdout.
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { ROOT } from './helpers.js';

const hasScript = spawnSync('script', ['--version']).status === 0;

export interface PtyRun {
  /** Everything the terminal showed so far, with the terminal's \r\n turned into \n. */
  output(): string;
  /** Types text on the terminal ('\x03' is Ctrl-C). */
  type(text: string): void;
  /** Resolves once `pattern` has appeared in the output (rejects after timeoutMs). */
  waitFor(pattern: string | RegExp, timeoutMs?: number): Promise<void>;
  exit: Promise<{ code: number; output: string }>;
  pid: number;
}

const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

export function binOnPty(name: string, args: string[], env: Record<string, string | undefined>): PtyRun {
  if (!hasScript) throw new Error("The terminal tests need util-linux's `script` (apt-get install bsdutils).");
  // script gives the terminal its own stdin's size, 0x0 for a pipe; a user's terminal has one.
  const command = `stty cols 100 rows 30 && exec ${[join(ROOT, 'bin', name), ...args].map(quote).join(' ')}`;
  const childEnv: Record<string, string | undefined> = { ...process.env, TERM: 'xterm-256color', ...env };
  // ora and chalk treat CI as "not interactive": a user's terminal has no CI variable.
  delete childEnv.CI;
  for (const [k, v] of Object.entries(childEnv)) if (v === undefined) delete childEnv[k];
  const child = spawn('script', ['-qfec', command, '/dev/null'], { env: childEnv as NodeJS.ProcessEnv, stdio: ['pipe', 'pipe', 'inherit'] });
  let text = '';
  const waiters: Array<() => void> = [];
  child.stdout.on('data', (d) => {
    text += String(d).replace(/\r\n/g, '\n');
    for (const w of waiters.splice(0)) w();
  });
  const output = () => text;
  const exit = new Promise<{ code: number; output: string }>((resolve) => {
    child.on('close', (code) => resolve({ code: code ?? -1, output: text }));
  });
  const waitFor = (pattern: string | RegExp, timeoutMs = 20_000) => new Promise<void>((resolve, reject) => {
    const seen = () => (typeof pattern === 'string' ? text.includes(pattern) : pattern.test(text));
    const timer = setTimeout(() => reject(new Error(`${String(pattern)} did not appear on the terminal; it shows:\n${text}`)), timeoutMs);
    const check = () => {
      if (seen()) {
        clearTimeout(timer);
        resolve();
      } else waiters.push(check);
    };
    check();
  });
  return { output, type: (t) => void child.stdin.write(t), waitFor, exit, pid: child.pid! };
}
