// A synchronous sleep for the few places (lock retry) that must wait without yielding to the event
// loop: Atomics.wait blocks the thread without spinning the CPU.
const cell = new Int32Array(new SharedArrayBuffer(4));

export function sleepSync(ms: number): void {
  Atomics.wait(cell, 0, 0, ms);
}
