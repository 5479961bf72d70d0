/** What to show of something thrown: an Error's message, anything else as text (a rejected string, a number). */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** What to log of something thrown that is a bug: an Error's stack (its message if none), anything else as text. */
export function stackOf(error: unknown): string {
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}
