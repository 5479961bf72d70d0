/**
 * Numbers the reliability suites measure. They are printed, never asserted: timings depend on the
 * machine, and RELIABILITY.md quotes the printed values of a run.
 */

export function measured(label: string, value: string): void {
  process.stdout.write(`      measured: ${label}: ${value}\n`);
}

export async function timed<T>(work: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const started = performance.now();
  const value = await work();
  return { value, ms: performance.now() - started };
}

export function ms(value: number): string {
  return `${value < 10 ? value.toFixed(1) : Math.round(value)} ms`;
}

export function mb(bytes: number): string {
  return `${(bytes / 1e6).toFixed(1)} MB`;
}
