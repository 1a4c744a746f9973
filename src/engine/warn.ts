// Engine warnings: one stderr line each, as Kafka's log4j WARN lines are, for damage the engine
// works around (a corrupt checkpoint it ignores, a stale lock it breaks). Each distinct warning is
// printed once per process: a reader that meets the same bad file on every fetch must not flood.
const seen = new Set<string>();

let sink: (line: string) => void = (line) => process.stderr.write(`${line}\n`);

export function warn(message: string): void {
  if (seen.has(message)) return;
  seen.add(message);
  sink(`WARN ${message}`);
}

/** Tests capture the warnings; returns a function that restores stderr. */
export function captureWarnings(into: string[]): () => void {
  const previous = sink;
  sink = (line) => into.push(line);
  seen.clear();
  return () => {
    sink = previous;
    seen.clear();
  };
}
