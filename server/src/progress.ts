/**
 * Work-done progress for work that must not wait for the client: the work starts at once, and the
 * progress shows once the client has accepted its token (the protocol allows no report before).
 * Reports made before that, or with the share unchanged, are not sent; work that ends before the
 * client answered shows nothing (the token is ended as soon as it comes).
 */
import type { Connection, WorkDoneProgressServerReporter } from 'vscode-languageserver';

export class BackgroundProgress {
  private reporter?: WorkDoneProgressServerReporter;
  private ended = false;
  private lastShare = 0;

  /** `shown`: whether the client accepts progress the server starts (window.workDoneProgress). */
  constructor(connection: Connection, shown: boolean, title: string, message?: string) {
    if (!shown) return;
    connection.window.createWorkDoneProgress().then(
      (reporter) => {
        // Ended before the client answered: the token is released at once, nothing was shown.
        if (this.ended) return reporter.done();
        reporter.begin(title, 0, message, false);
        this.reporter = reporter;
      },
      () => undefined,
    );
  }

  /** The share done, 0-100, and what to say with it. */
  report(share: number, message?: string): void {
    if (!this.reporter || share <= this.lastShare) return;
    this.lastShare = share;
    if (message === undefined) this.reporter.report(share);
    else this.reporter.report(share, message);
  }

  done(): void {
    this.ended = true;
    this.reporter?.done();
    this.reporter = undefined;
  }
}
