/**
 * Open documents, their analyses and their diagnostics. Each open document has its own
 * DocumentAnalyzer, so an edit re-analyses only the statements it touched; nothing here waits for
 * the database. Diagnostics are pulled (textDocument/diagnostic) by clients that can, and pushed,
 * debounced, to the others: never both, so no client sees duplicates. A newer version supersedes
 * pending work: a debounced push analyses only the latest text, and a request the client cancelled
 * is answered as cancelled before anything is analysed.
 */
import { CancellationToken, Connection, Diagnostic, DiagnosticSeverity, DocumentDiagnosticParams, DocumentDiagnosticReport, LSPErrorCodes, ResponseError, TextDocuments } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Catalog } from './core/catalog';
import { DocumentAnalysis, DocumentAnalyzer } from './core/document';
import { bytesText } from './core/hover';
import { LineIndex, utf8Length } from './core/text';
import type { StatementOutline, StatementResult } from './core/types';
import { DIAGNOSTIC_SOURCE, LinesOf, locator, sameDiagnostics, toDiagnostic } from './lsp-convert';
import { stackOf } from './error-message';
import { BackgroundProgress } from './progress';
import type { Scope, Scopes } from './scopes';
import { uriKey } from './workspace';

const OVERLAY_DELAY_MS = 300;

/**
 * A document at least this long (UTF-16 characters) is analysed from scratch (its first analysis,
 * against a catalog that keeps none of its statements, or after an edit that put as much new text)
 * in steps of about STEP_MS, with the event loop free in between: a 1 MB document takes about a
 * second here, and other documents' requests, cancellations and edits are served meanwhile instead
 * of after it. The steps are one pass, stopped and resumed (DocumentAnalyzer.analyzeInSteps): the
 * same result at about the same cost.
 */
const STEPPED_MIN_CHARS = 256 * 1024;
/** An edit of such a document that splits this many statements again (closing a comment near its top) also goes in steps. */
const STEPPED_MIN_STATEMENTS = 2_000;
const STEP_MS = 20;
/** Passes in steps started in a row (each after the catalog changed during the last). */
const MAX_STEPPED_PASSES = 5;
/**
 * How long such a document's first analysis waits for its database's first catalog read (a
 * 103,417-function catalog takes about 1.2 s here on its own, twice as long while a pass runs).
 */
const FIRST_CATALOG_WAIT_MS = 3_000;

export interface Analysis {
  version: number;
  catalogVersion: string;
  text: string;
  lines: LineIndex;
  /** The statements touching [from, to], placed: after an edit in a large document, placing all of them costs 10-100 ms. */
  statementsTouching(from: number, to: number): StatementResult[];
  outline: StatementOutline[];
  /** The catalog after the document's own DDL: view functions and the like are looked up in it. */
  catalog: Catalog;
  diagnostics: Diagnostic[];
  resultId: string;
}

interface OpenDocument {
  uri: string;
  key: string;
  analyzer: DocumentAnalyzer;
  result?: Analysis;
  lastPushedId?: string;
  pushTimer?: NodeJS.Timeout;
  overlayTimer?: NodeJS.Timeout;
  /** A large document's analysis from scratch in steps, while one runs (fullPassInSteps). */
  steps?: Promise<void>;
  /** The steps threw (a bug): this document is analysed in one go from then on. */
  stepsFailed?: boolean;
}

export interface DiagnosticsHost {
  connection: Connection;
  documents: TextDocuments<TextDocument>;
  scopes: Scopes;
  parserReady: Promise<void>;
  /** Milliseconds, for durations in the trace log. */
  now: () => number;
  /** Delay before pushed diagnostics are computed after an edit. */
  pushDelayMs: number;
  /** Lines of indexed workspace files (for related locations). */
  indexedLines: LinesOf;
  /** The diagnostics to report for an analysis: its own plus the last EXPLAIN's (explain-service.ts). */
  report(uri: string, analysis: Analysis): { items: Diagnostic[]; resultId: string };
  shuttingDown(): boolean;
  /** Called after each analysis (the server's garbage collection checkpoint, memory.ts). */
  analysed?(): void;
}

export class DiagnosticsService {
  /** True for clients without textDocument/diagnostic. */
  push = true;
  canRefresh = false;
  private readonly open = new Map<string, OpenDocument>();
  private refreshTimer: NodeJS.Timeout | undefined;

  constructor(private readonly host: DiagnosticsHost) {}

  /** Lines of an open document's latest analysis. */
  linesOf(uri: string): LineIndex | undefined {
    return this.open.get(uri)?.result?.lines;
  }

  hasOpenDocuments(scope: Scope): boolean {
    for (const doc of this.open.values()) if (this.host.scopes.scopeFor(doc.uri) === scope) return true;
    return false;
  }

  /** didOpen and didChange: analysed when pulled, or pushed after the delay. */
  changed(uri: string): void {
    let doc = this.open.get(uri);
    const opening = !doc;
    if (!doc) {
      doc = { uri, key: uriKey(uri), analyzer: new DocumentAnalyzer(uri, { followCatalogChanges: true }) };
      this.open.set(uri, doc);
      // Lazy connect: the first document of a scope loads its settings, which starts the connection.
      const scope = this.host.scopes.scopeFor(uri);
      scope.database?.ensureConnected();
      void this.host.scopes.ensureSettings(scope);
    }
    this.schedulePush(doc, opening ? 0 : this.host.pushDelayMs);
    this.scheduleOverlayUpdate(doc);
  }

  closed(uri: string): void {
    const doc = this.open.get(uri);
    if (!doc) return;
    if (doc.pushTimer) clearTimeout(doc.pushTimer);
    if (doc.overlayTimer) clearTimeout(doc.overlayTimer);
    this.open.delete(uri);
    if (this.push && !this.host.shuttingDown()) void this.host.connection.sendDiagnostics({ uri, diagnostics: [] });
    const scope = this.host.scopes.scopeFor(uri);
    if (scope.folder?.closeOpen(doc.key)) this.refreshScope(scope);
  }

  /**
   * The analysis of an open document at its current version, after its scope's settings are known.
   * A request the client cancelled meanwhile (the document changed again) is answered as cancelled
   * instead of being analysed.
   */
  async current(uri: string, token?: CancellationToken): Promise<Analysis | undefined> {
    const doc = this.open.get(uri);
    if (!doc) return undefined;
    const scope = this.host.scopes.scopeFor(uri);
    await this.host.scopes.ensureSettings(scope);
    await this.host.parserReady;
    await this.host.scopes.waitForIndex(scope);
    if (token?.isCancellationRequested) throw new ResponseError(LSPErrorCodes.RequestCancelled, 'cancelled');
    await this.stepsDone(doc);
    if (token?.isCancellationRequested) throw new ResponseError(LSPErrorCodes.RequestCancelled, 'cancelled');
    return this.open.get(uri) === doc ? this.analyze(doc) : undefined;
  }

  /** textDocument/diagnostic */
  async pull(params: DocumentDiagnosticParams, token: CancellationToken): Promise<DocumentDiagnosticReport> {
    const result = await this.current(params.textDocument.uri, token);
    if (!result) return { kind: 'full', items: [] };
    const { items, resultId } = this.host.report(params.textDocument.uri, result);
    if (params.previousResultId === resultId) return { kind: 'unchanged', resultId };
    return { kind: 'full', resultId, items };
  }

  /** The catalog of a scope changed (database, settings, workspace DDL): every open document there is stale. */
  refreshScope(scope: Scope, except?: OpenDocument): void {
    if (this.host.shuttingDown()) return;
    let any = false;
    for (const doc of this.open.values()) {
      if (doc === except || this.host.scopes.scopeFor(doc.uri) !== scope) continue;
      any = true;
      this.schedulePush(doc, this.host.pushDelayMs);
    }
    if (any && !this.push && this.canRefresh && !this.refreshTimer) {
      this.refreshTimer = setTimeout(() => {
        this.refreshTimer = undefined;
        if (!this.host.shuttingDown()) this.host.connection.languages.diagnostics.refresh();
      }, this.host.pushDelayMs);
    }
  }

  /** Folders came or went: every document may belong elsewhere now. */
  refreshAll(): void {
    for (const doc of this.open.values()) this.schedulePush(doc, this.host.pushDelayMs);
  }

  /** Extra diagnostics of one document changed (EXPLAIN findings): deliver them now. */
  reportChanged(uri: string): void {
    const doc = this.open.get(uri);
    if (!doc || this.host.shuttingDown()) return;
    if (this.push) this.schedulePush(doc, 0);
    else if (this.canRefresh) this.host.connection.languages.diagnostics.refresh();
  }

  shutdown(): void {
    if (this.refreshTimer) clearTimeout(this.refreshTimer);
    for (const doc of this.open.values()) {
      if (doc.pushTimer) clearTimeout(doc.pushTimer);
      if (doc.overlayTimer) clearTimeout(doc.overlayTimer);
    }
  }

  private analyze(doc: OpenDocument): Analysis | undefined {
    const { connection, documents, scopes } = this.host;
    const textDocument = documents.get(doc.uri);
    if (!textDocument) return undefined;
    const scope = scopes.scopeFor(doc.uri);
    scope.database?.ensureConnected();
    const text = textDocument.getText();
    const maxFileSize = scope.settings.maxFileSize;
    if (overMaxSize(text, maxFileSize)) {
      // Too large: one note, no analysis (a huge generated dump must not stall the editor).
      if (doc.result?.version === textDocument.version && doc.result.catalogVersion === 'too-large') return doc.result;
      const lines = new LineIndex(text);
      const diagnostic: Diagnostic = {
        range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
        severity: DiagnosticSeverity.Information,
        code: 'file-too-large',
        source: DIAGNOSTIC_SOURCE,
        message: `not analysed: the document is ${bytesText(utf8Length(text))}, larger than pgParallelHints.maxFileSize (${bytesText(maxFileSize)})`,
      };
      doc.result = {
        version: textDocument.version,
        catalogVersion: 'too-large',
        text,
        lines,
        statementsTouching: () => [],
        outline: [],
        catalog: scopes.baseCatalog(scope),
        diagnostics: [diagnostic],
        resultId: `${textDocument.version}:too-large`,
      };
      return doc.result;
    }
    const catalog = scopes.documentCatalog(scope, doc.key);
    if (doc.result && doc.result.version === textDocument.version && doc.result.catalogVersion === catalog.version) return doc.result;
    const started = this.host.now();
    let analysis: DocumentAnalysis | undefined;
    try {
      analysis = doc.analyzer.analyze(text, catalog);
    } catch (error) {
      connection.console.error(`analysing ${doc.uri}: ${stackOf(error)}`);
    }
    // After an edit only the text around it is scanned for lines, and only the statements it moved
    // to another line or column are converted again (the core keeps the rest).
    const lines = doc.result ? doc.result.lines.updated(text) : new LineIndex(text);
    const locate = locator(doc.uri, lines, (uri) => this.host.indexedLines(uri) ?? this.linesOf(uri));
    const converted = analysis ? doc.analyzer.convertReasons(lines, (reason) => toDiagnostic(reason, lines, locate)) : [];
    // Typing inside a statement, away from its diagnostics, changes none of them: the last report's
    // result id stays, so a pull is answered "unchanged" (a large document's list is not sent and
    // parsed again on every keystroke) and a push is not sent again.
    const previous = doc.result;
    const unchanged = previous !== undefined && sameDiagnostics(previous.diagnostics, converted);
    const diagnostics = unchanged ? previous.diagnostics : converted;
    connection.tracer.log(
      `analysed ${doc.uri} v${textDocument.version}: ${doc.analyzer.lastAnalyzed} of ${analysis?.statementCount ?? 0} statements in ${(this.host.now() - started).toFixed(1)} ms`,
    );
    doc.result = {
      version: textDocument.version,
      catalogVersion: catalog.version,
      text,
      lines,
      // Placed on use (hover, definition, code actions): diagnostics do not need the statements placed.
      statementsTouching: (from, to) => analysis?.statementsTouching(from, to) ?? [],
      get outline() {
        return analysis?.outline ?? [];
      },
      // Also made on first use: the catalog after the document's DDL is for hover and the like.
      get catalog() {
        return analysis?.catalogAfter ?? catalog;
      },
      diagnostics,
      resultId: unchanged ? previous.resultId : `${textDocument.version}:${catalog.version}`,
    };
    this.host.analysed?.();
    return doc.result;
  }

  /** Before analyze(): a large document's analysis from scratch, in steps, if one is due (or running). */
  private stepsDone(doc: OpenDocument): Promise<void> {
    if (doc.stepsFailed) return Promise.resolve();
    return (doc.steps ??= this.fullPassInSteps(doc).finally(() => (doc.steps = undefined)));
  }

  /**
   * A large document's analysis in steps (STEPPED_MIN_CHARS): from scratch on an analyzer of its own,
   * or after a paste of that much new text on a fork of the document's (which keeps the statements
   * that only moved); either takes the document's place when done, and analyze() then has only the
   * edits made meanwhile to apply.
   * Started again at once if the catalog before the workspace's DDL changes during the steps (a
   * database that connects, another pgVersion: the first diagnostics then come from the new one).
   * Another file's DDL changing meanwhile is left to analyze(), which re-analyses only the statements
   * that read it, or, if it changes everything (a search_path), to one more pass in steps. At most
   * MAX_STEPPED_PASSES passes; then analyze() makes the pass in one go. A client that shows progress
   * sees the share done.
   */
  private async fullPassInSteps(doc: OpenDocument): Promise<void> {
    const { connection, documents, scopes } = this.host;
    let progress: BackgroundProgress | undefined;
    try {
      await this.firstCatalogRead(doc);
      for (let pass = 0; pass < MAX_STEPPED_PASSES; pass++) {
        const textDocument = documents.get(doc.uri);
        if (!textDocument || this.open.get(doc.uri) !== doc || this.host.shuttingDown()) return;
        // The document object changes with each edit: the steps analyse this text, of this version.
        const text = textDocument.getText();
        const version = textDocument.version;
        const scope = scopes.scopeFor(doc.uri);
        // Too large for any analysis: analyze() says so.
        if (text.length < STEPPED_MIN_CHARS || overMaxSize(text, scope.settings.maxFileSize)) return;
        const catalog = scopes.documentCatalog(scope, doc.key);
        // In steps: nothing of it analysed yet or kept by the catalog, or an edit that put as much new
        // text as a large document has (a paste, also over a selection) or made thousands of
        // statements new to the splitter (`*/` typed near the top of a commented-out document); a
        // smaller edit is analysed where it was made.
        const reach = doc.analyzer.editReach(text);
        const pasted = reach.newChars >= STEPPED_MIN_CHARS || reach.resplit() >= STEPPED_MIN_STATEMENTS;
        if (!pasted && !doc.analyzer.analysesEverythingAgainst(catalog)) return;
        const baseVersion = scopes.baseCatalog(scope).version;
        progress?.done();
        progress = new BackgroundProgress(connection, scopes.canShowProgress, `Analysing ${scopes.fileLabel(doc.uri)}`);
        const started = this.host.now();
        let stepStarted = started;
        // After a paste, what the document's analyzer already knows serves the steps (text that only moved).
        const analyzer = pasted ? doc.analyzer.fork() : new DocumentAnalyzer(doc.uri, { followCatalogChanges: true });
        const steps = analyzer.analyzeInSteps(text, catalog, () => this.host.now() - stepStarted >= STEP_MS);
        let step = steps.next();
        while (!step.done) {
          progress.report(Math.floor((step.value / text.length) * 100));
          // Between steps: the requests and edits that came meanwhile are served.
          await new Promise((resolve) => setImmediate(resolve));
          if (this.open.get(doc.uri) !== doc || this.host.shuttingDown()) return;
          if (scopes.baseCatalog(scopes.scopeFor(doc.uri)).version !== baseVersion) break;
          stepStarted = this.host.now();
          step = steps.next();
        }
        if (!step.done) {
          connection.tracer.log(`analysing ${doc.uri} v${version} in steps: started again, the catalog changed under it`);
          continue;
        }
        doc.analyzer = analyzer;
        connection.tracer.log(`analysed ${doc.uri} v${version} in steps: ${analyzer.lastAnalyzed} statements in ${(this.host.now() - started).toFixed(1)} ms`);
      }
    } catch (error) {
      // A bug: analyze() makes the pass in one go (and logs what it throws too), now and from then on.
      doc.stepsFailed = true;
      connection.console.error(`analysing ${doc.uri} in steps: ${stackOf(error)}`);
    } finally {
      progress?.done();
    }
  }

  /**
   * Before a large document's first analysis from scratch, its database's first catalog read if
   * one is under way, for at most FIRST_CATALOG_WAIT_MS: a pass against the built-ins would start
   * again when that catalog comes, and the two would share the one thread until then. The 1 MB
   * benchmark file with a 103,417-function database: 4.1-4.5 s to first diagnostics without the
   * wait, about 2.5 s with it.
   */
  private async firstCatalogRead(doc: OpenDocument): Promise<void> {
    const { connection, documents, scopes } = this.host;
    const scope = scopes.scopeFor(doc.uri);
    const reading = scopes.firstCatalogRead(scope);
    const text = documents.get(doc.uri)?.getText();
    if (!reading || text === undefined || text.length < STEPPED_MIN_CHARS) return;
    if (!doc.analyzer.analysesEverythingAgainst(scopes.documentCatalog(scope, doc.key))) return;
    const progress = new BackgroundProgress(connection, scopes.canShowProgress, `Analysing ${scopes.fileLabel(doc.uri)}`, `waiting for the catalog of ${reading.target}`);
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([reading.done, new Promise<void>((resolve) => (timer = setTimeout(resolve, FIRST_CATALOG_WAIT_MS)))]);
    clearTimeout(timer);
    progress.done();
    connection.tracer.log(`waited for the catalog of ${reading.target} before analysing ${doc.uri}`);
  }

  private schedulePush(doc: OpenDocument, delay: number): void {
    if (!this.push || this.host.shuttingDown()) return;
    if (doc.pushTimer) clearTimeout(doc.pushTimer);
    // A newer version resets the timer: the older one is never analysed.
    doc.pushTimer = setTimeout(() => {
      doc.pushTimer = undefined;
      void this.pushNow(doc);
    }, delay);
  }

  private async pushNow(doc: OpenDocument): Promise<void> {
    const scope = this.host.scopes.scopeFor(doc.uri);
    await this.host.scopes.ensureSettings(scope);
    await this.host.parserReady;
    await this.stepsDone(doc);
    if (this.open.get(doc.uri) !== doc || this.host.shuttingDown()) return;
    const result = this.analyze(doc);
    if (!result) return;
    const { items, resultId } = this.host.report(doc.uri, result);
    if (resultId === doc.lastPushedId) return;
    doc.lastPushedId = resultId;
    void this.host.connection.sendDiagnostics({ uri: doc.uri, version: result.version, diagnostics: items });
  }

  /** An open file's DDL is visible to the other files of its folder: update it once typing pauses. */
  private scheduleOverlayUpdate(doc: OpenDocument): void {
    const scope = this.host.scopes.scopeFor(doc.uri);
    if (!scope.folder?.contains(doc.key)) return;
    if (doc.overlayTimer) clearTimeout(doc.overlayTimer);
    doc.overlayTimer = setTimeout(() => {
      doc.overlayTimer = undefined;
      const textDocument = this.host.documents.get(doc.uri);
      if (!textDocument || this.open.get(doc.uri) !== doc || this.host.shuttingDown()) return;
      const text = textDocument.getText();
      if (overMaxSize(text, scope.settings.maxFileSize)) return;
      if (scope.folder!.setOpenText(doc.key, doc.uri, text)) this.refreshScope(scope, doc);
    }, OVERLAY_DELAY_MS);
  }
}

/**
 * Over pgParallelHints.maxFileSize (UTF-8 bytes). A text of at most a third as many UTF-16 units
 * cannot be, and is not counted.
 */
function overMaxSize(text: string, maxFileSize: number): boolean {
  return text.length > maxFileSize / 3 && utf8Length(text) > maxFileSize;
}
