/** What to show of something thrown: an Error's message, anything else as text (a rejected string, a number). */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
