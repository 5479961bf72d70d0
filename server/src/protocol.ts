/**
 * The custom messages between the VS Code client (or any editor) and the language server, declared
 * once. Names are `pgParallelHints/<camelCase>`; everything else is plain LSP.
 *
 * Imports only vscode-languageserver-protocol (shared by vscode-languageclient and
 * vscode-languageserver) and types of the pure core, so the client can import this file as it is.
 */
import { NotificationType, RequestType, RequestType0 } from 'vscode-languageserver-protocol';
import type { Position, Range } from 'vscode-languageserver-protocol';
import type { AuditFinding } from './core/audit';
import type { ExplainErrorReason } from './core/explainable';
import type { PlanFinding, PlanGather } from './core/plan';
import type { WhyNot } from './core/why-not';

/** What the client passes as `initializationOptions` (editors without workspace/configuration use `settings`). */
export interface InitializationOptions {
  /** False in an untrusted VS Code workspace: the server then never connects to a database. */
  trusted?: boolean;
  /** The `pgParallelHints` settings section, for editors that cannot answer workspace/configuration. */
  settings?: unknown;
}

export type ConnectionStateName = 'live' | 'offline' | 'connecting' | 'error';

export interface StatusParams {
  state: ConnectionStateName;
  /**
   * One line for a status item: "PG 18.4 @ localhost/shop, 3,245 functions", "PG 18.4 @ localhost/shop
   * (disconnected, last catalog from 10:42)" or "offline: PostgreSQL 18 built-ins + workspace".
   */
  text: string;
  /** More words for a tooltip: the connection target, the last error, when the next attempt is. */
  detail?: string;
  /** The workspace folder this status belongs to (multi-root workspaces may use several databases); absent for files outside any folder. */
  folder?: string;
}

/**
 * Server -> client, whenever the database state of a workspace folder changes (connecting, live,
 * failed, offline). Why: the client shows one language status item; the server is the only one that
 * knows the connection state.
 */
export const statusNotification = new NotificationType<StatusParams>('pgParallelHints/status');

export interface SetPasswordParams {
  /** Undefined or '' forgets the password (then PGPASSWORD or .pgpass apply again). */
  password?: string;
  /** The workspace folder the password is for; absent for every folder. */
  folder?: string;
}

/**
 * Client -> server, at start-up and after the "Set database password" command. Why: passwords are
 * never in settings files; VS Code keeps them in SecretStorage and hands them over here. The server
 * keeps them in memory only and reconnects with them.
 */
export const setPasswordNotification = new NotificationType<SetPasswordParams>('pgParallelHints/setPassword');

export interface FolderParams {
  /** A workspace folder URI; absent for every folder. */
  folder?: string;
}

export interface ConnectionResult {
  /** The status of each affected folder after the request completed. */
  statuses: StatusParams[];
}

/**
 * Client -> server (command "Connect to database"). Why: retry now instead of waiting for the backoff
 * timer, and reconnect after `disconnect`. Resolves when the attempt finished (live or failed).
 */
export const reconnectRequest = new RequestType<FolderParams, ConnectionResult, void>('pgParallelHints/reconnect');

/**
 * Client -> server (command "Disconnect from database"). Why: the user wants no connection for now;
 * the last catalog read keeps serving (the status says it is stale) until `reconnect`.
 */
export const disconnectRequest = new RequestType<FolderParams, ConnectionResult, void>('pgParallelHints/disconnect');

/**
 * Client -> server (command "Refresh catalog"). Why: the user changed functions in the database
 * (ALTER FUNCTION ... PARALLEL SAFE) and wants the diagnostics to reflect it without reconnecting.
 */
export const refreshCatalogRequest = new RequestType<FolderParams, ConnectionResult, void>('pgParallelHints/refreshCatalog');

/**
 * Client -> server (the client's "show status" tooltip, tests). Why: a client that started late, or
 * reloaded its window, asks for the current state instead of waiting for the next status notification.
 */
export const statusRequest = new RequestType0<StatusParams[], void>('pgParallelHints/getStatus');

export interface ExplainParams {
  uri: string;
  /** The statement containing this position (or the one this range selects) is explained. */
  position?: Position;
  range?: Range;
  /** Run EXPLAIN ANALYZE (the statement really runs, in a transaction that is always rolled back). */
  analyze: boolean;
  /** The user confirmed that a data-modifying statement may run (still rolled back). */
  allowWrites: boolean;
}

export interface ExplainResponse {
  /** The readable report (language `pg-parallel-plan`): header, Gathers, plan tree, findings with advice, why-not section. */
  report: string;
  /** The EXPLAIN (FORMAT JSON) document as PostgreSQL returned it. */
  plan: unknown;
  gathers: PlanGather[];
  findings: PlanFinding[];
  /** The statement that was explained, in the document. */
  range: Range;
  /** Its text as it followed EXPLAIN. */
  statement: string;
  /** SELECT, INSERT, CREATE TABLE AS, ... */
  kind: string;
  analyzed: boolean;
  /** Planned with GENERIC_PLAN because of $n parameters. */
  generic: boolean;
  /** What the statement writes (it ran and was rolled back when analyzed); empty when it only reads. */
  writes: string[];
  /** user@host:port/database */
  target: string;
  versionNum: number;
  /** The why-not-parallel classification (absent when its probes failed; the report then says why). */
  whyNot?: WhyNot;
}

/** Why an explain or audit request failed, in `ResponseError.data`, so that a client can react (ask for confirmation, offer to connect). */
export interface ExplainErrorData {
  reason: 'no-statement' | 'no-database' | ExplainErrorReason;
  /** For needs-confirmation: what the statement would change (empty when the server caught a hidden write). */
  writes?: string[];
}

/**
 * Client -> server (commands "Explain parallelism" and "Explain analyze", CodeLens). Why: EXPLAIN
 * needs the database connection the server owns. Explains exactly the statement at the position,
 * in a transaction that is rolled back, under the folder's statement timeout; cancelling the request
 * cancels the statement on the server. Errors are ResponseErrors with ExplainErrorData. After a run,
 * the findings are also diagnostics (source "pg-parallel-hints (explain)") on that statement until
 * its text changes.
 */
export const explainRequest = new RequestType<ExplainParams, ExplainResponse, ExplainErrorData>('pgParallelHints/explain');

export interface AuditSettingsResponse {
  /** user@host:port/database */
  target: string;
  findings: AuditFinding[];
  /** The findings as text (the CLI's `audit` output). */
  text: string;
}

/**
 * Client -> server (command "Audit parallel settings"). Why: the live settings of the folder's
 * database (caps and their order, connection and memory arithmetic, non-default costs).
 */
export const auditSettingsRequest = new RequestType<FolderParams, AuditSettingsResponse, ExplainErrorData>('pgParallelHints/auditSettings');
