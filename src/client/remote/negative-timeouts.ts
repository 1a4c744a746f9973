// kafkajs 2.2.4 (its last release) arms a timer with a negative delay each time its request queue
// empties (requestQueue.scheduleCheckPendingRequests: `throttledUntil - Date.now()` with
// throttledUntil -1). Node 23+ runs such a timer after 1 ms, as older Nodes did, but also prints a
// TimeoutNegativeWarning to stderr, which belongs to the tools' own output. Only that warning type
// is dropped; every other warning goes through.
let installed = false;

export function dropNegativeTimeoutWarnings(): void {
  if (installed) return;
  installed = true;
  const emitWarning = process.emitWarning;
  process.emitWarning = function (this: unknown, warning: string | Error, ...rest: unknown[]) {
    const type = typeof rest[0] === 'string' ? rest[0] : (rest[0] as { type?: string } | undefined)?.type;
    if (type === 'TimeoutNegativeWarning' || (warning instanceof Error && warning.name === 'TimeoutNegativeWarning')) return;
    return (emitWarning as (...args: unknown[]) => void).call(this, warning, ...rest);
  } as typeof process.emitWarning;
}
