/** The language server's entry point (stdio or IPC, chosen from the command line). */
export function runLanguageServer(): void {
  throw new Error('the language server is not built yet');
}
