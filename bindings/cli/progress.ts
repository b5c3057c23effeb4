/**
 * A one-line progress bar on stderr when it is a terminal; silent otherwise (CI logs, pipes), so
 * scripted runs see only their JSON.
 */
export interface Progress {
  update(done: number, total: number): void;
  finish(): void;
}

export function progressBar(label: string, stream: NodeJS.WriteStream = process.stderr): Progress {
  if (!stream.isTTY) return { update() {}, finish() {} };
  const start = performance.now();
  let last = 0;
  const draw = (done: number, total: number) => {
    const width = 30;
    const filled = total ? Math.round((done / total) * width) : width;
    const secs = ((performance.now() - start) / 1000).toFixed(1);
    stream.write(`\r${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total} ${secs}s`);
  };
  return {
    update(done, total) {
      const now = performance.now();
      if (done === total || now - last > 50) { last = now; draw(done, total); }
    },
    finish() { stream.write('\n'); },
  };
}
