/**
 * EXPLAIN for the editor and the CLI, made safe to press: exactly one plannable statement (checked
 * from the parse tree before anything is sent), always inside a transaction that is rolled back,
 * READ ONLY unless the caller confirmed a statement that writes, under a statement timeout, and
 * cancellable from an AbortSignal with a real server-side cancel.
 *
 * What the rollback does not undo: sequence increments (nextval), and whatever a function called by
 * the statement does outside the transaction (dblink, NOTIFY is dropped, but an external side effect
 * is not). READ ONLY keeps writes and nextval away unless they were confirmed; it does not stop what
 * reads may do outside the tables (COPY ... TO PROGRAM in a function, pg_terminate_backend(),
 * pg_reload_conf()): ANALYZE runs the statement as it would run.
 */
import * as net from 'net';
import * as path from 'path';
import type { ClientBase } from 'pg';
import type { ParallelSettings } from '../core/catalog-snapshot';
import type { ExplainErrorReason } from '../core/explainable';
import { catalogQuery, readSettings } from './catalog';
import { abandonConnection, answeringWithin, CANCEL_GRACE_MS, NoAnswerError } from './connection';
import { AS_PARSED, Explainable, explainDocument, PARAMETERS_NEED_16, requireExplainable, serverVersionNum, setLocal } from './probe';

export interface ExplainOptions {
  /** Run the statement (EXPLAIN ANALYZE) to get actual rows, times and per-worker figures. */
  analyze?: boolean;
  /** BUFFERS on or off; left to the server's default when absent (on with ANALYZE from 18). */
  buffers?: boolean;
  /** The user confirmed running a statement that writes; it still runs in a transaction that is rolled back. */
  allowWrites?: boolean;
  /** statement_timeout for the EXPLAIN, in ms (default 10 s). */
  timeoutMs?: number;
  /** Aborting cancels the statement on the server and rejects with ExplainError 'cancelled'. */
  signal?: AbortSignal;
  /** server_version_num, when the caller knows it already (saves a round trip). */
  versionNum?: number;
}

export interface ExplainResult {
  /** The statement exactly as it followed EXPLAIN. */
  statement: string;
  /** SELECT, INSERT, CREATE TABLE AS, ... */
  kind: string;
  /** The EXPLAIN (FORMAT JSON) document: one element with Plan, Settings, Planning/Execution Time ... */
  plan: unknown;
  analyzed: boolean;
  /** Planned with GENERIC_PLAN because the statement has $n parameters. */
  generic: boolean;
  /** What the statement writes (rolled back); empty when it only reads. */
  writes: string[];
  /** The session's parallel settings, in pg_settings base units (sizes in 8 kB pages, work_mem in kB). */
  settings: ParallelSettings;
  /** Parallel workers of any session running just before the statement ran. */
  busyParallelWorkers: number;
  versionNum: number;
}

export class ExplainError extends Error {
  constructor(
    readonly reason: ExplainErrorReason,
    message: string,
  ) {
    super(message);
    this.name = 'ExplainError';
  }
}

const QUERY_CANCELED = '57014';
const READ_ONLY_SQL_TRANSACTION = '25006';

/** The key pg keeps from the server's BackendKeyData, and where the server is. */
interface BackendKey {
  processID?: number;
  secretKey?: number;
  host?: string;
  port?: number;
}

/**
 * Sends PostgreSQL's CancelRequest for the client's backend on a new connection, as libpq's
 * PQcancel does: no authentication needed, and it never touches the busy connection. Resolves once
 * the server has closed the cancel connection, i.e. after it signalled the backend.
 */
export function sendCancelRequest(client: ClientBase): Promise<void> {
  const { processID, secretKey, host = 'localhost', port = 5432 } = client as unknown as BackendKey;
  if (processID === undefined || secretKey === undefined) return Promise.resolve();
  return new Promise((resolve) => {
    const socket = host.startsWith('/') ? net.connect(path.join(host, `.s.PGSQL.${port}`)) : net.connect(port, host);
    const packet = Buffer.alloc(16);
    packet.writeInt32BE(16, 0);
    packet.writeInt32BE(80877102, 4); // the CancelRequest code
    packet.writeInt32BE(processID, 8);
    packet.writeInt32BE(secretKey, 12);
    socket.setTimeout(5_000, () => socket.destroy());
    socket.on('connect', () => socket.end(packet));
    socket.on('error', () => undefined);
    socket.on('close', () => resolve());
  });
}

/**
 * While `signal` is listened to: on abort, a cancel request to the server; and if the query still
 * runs CANCEL_GRACE_MS after it went out, the connection is given up (a backend that no longer
 * answers takes no cancel either). `sent` is the request on its way, once aborted.
 */
export function cancelOnAbort(client: ClientBase, signal: AbortSignal | undefined): { sent(): Promise<void> | undefined; dispose(): void } {
  let sending: Promise<void> | undefined;
  let giveUp: NodeJS.Timeout | undefined;
  const onAbort = () => {
    sending ??= sendCancelRequest(client).then(() => {
      giveUp = setTimeout(
        () => abandonConnection(client, `the server did not stop the query within ${CANCEL_GRACE_MS / 1000} s of a cancel request: the connection was closed`),
        CANCEL_GRACE_MS,
      );
    });
  };
  signal?.addEventListener('abort', onAbort, { once: true });
  return {
    sent: () => sending,
    dispose: () => {
      signal?.removeEventListener('abort', onAbort);
      clearTimeout(giveUp);
    },
  };
}

/**
 * A query the server stopped or never answered: left unanswered (NoAnswerError), or canceled on the
 * server (57014) by the statement timeout or by another session (pg_cancel_backend); `what` says
 * what took long. Undefined for any other error.
 */
export function stoppedOnServer(error: unknown, timeoutMs: number, what: string): ExplainError | undefined {
  if (error instanceof NoAnswerError) return new ExplainError('no-answer', error.message);
  if ((error as { code?: string }).code !== QUERY_CANCELED) return undefined;
  const message = (error as Error).message;
  if (/statement timeout/i.test(message)) return new ExplainError('timeout', `${what} longer than the statement timeout (${timeoutMs} ms): it was cancelled on the server and rolled back`);
  return new ExplainError('server-error', `${message}: the server cancelled it (pg_cancel_backend or an administrator), and rolled it back`);
}

function cancelledError(): ExplainError {
  return new ExplainError('cancelled', 'EXPLAIN was cancelled; the statement was stopped on the server and rolled back');
}

/** What can be refused from the text alone, before anything is sent. */
function refuseEarly(statement: Explainable, options: ExplainOptions): void {
  if (statement.parameters > 0 && options.analyze) {
    throw new ExplainError('parameters-with-analyze', 'the statement has $n parameters: it can be planned (GENERIC_PLAN) but not run; replace them with values to use ANALYZE');
  }
  if (options.analyze && statement.writes.length > 0 && !options.allowWrites) {
    throw new ExplainError(
      'needs-confirmation',
      `EXPLAIN ANALYZE runs the statement, and it writes (${statement.writes.join(', ')}): it needs confirmation; it would then run in a transaction that is rolled back`,
    );
  }
}

export async function runExplain(client: ClientBase, sql: string, options: ExplainOptions = {}): Promise<ExplainResult> {
  let statement: Explainable;
  try {
    statement = await requireExplainable(sql);
  } catch (error) {
    throw new ExplainError('not-explainable', (error as Error).message);
  }
  refuseEarly(statement, options);
  if (statement.parameters > 0 && options.versionNum !== undefined && options.versionNum < 160000) throw new ExplainError('parameters-need-16', PARAMETERS_NEED_16);
  const { signal } = options;
  if (signal?.aborted) throw cancelledError();

  const cancel = cancelOnAbort(client, signal);
  const step = async <T>(run: () => Promise<T>): Promise<T> => {
    if (signal?.aborted) throw cancelledError();
    return run();
  };
  const writable = Boolean(options.analyze && options.allowWrites);
  const timeoutMs = Math.max(1, Math.floor(options.timeoutMs ?? 10_000));
  const db = answeringWithin(client, timeoutMs);
  try {
    await step(() => db.query(writable ? 'BEGIN READ WRITE' : 'BEGIN READ ONLY'));
    const versionNum = options.versionNum ?? (await step(() => serverVersionNum(db)));
    if (statement.parameters > 0 && versionNum < 160000) throw new ExplainError('parameters-need-16', PARAMETERS_NEED_16);
    await step(() => setLocal(db, { ...AS_PARSED, statement_timeout: timeoutMs }));
    const settings = await step(() => readSettings(db));
    const busyParallelWorkers = (await step(() => db.query<{ busy: number }>(catalogQuery('parallel-workers')))).rows[0].busy;
    const explainOptions = ['VERBOSE', 'SETTINGS', ...(options.analyze ? ['ANALYZE'] : []), ...(options.buffers === undefined ? [] : [`BUFFERS ${options.buffers ? 'ON' : 'OFF'}`])];
    const plan = await step(() => explainDocument(db, statement, explainOptions));
    if (signal?.aborted) throw cancelledError(); // finished before the cancel arrived: the caller no longer wants it
    return {
      statement: statement.statement,
      kind: statement.kind,
      plan,
      analyzed: Boolean(options.analyze),
      generic: statement.parameters > 0,
      writes: statement.writes,
      settings,
      busyParallelWorkers,
      versionNum,
    };
  } catch (error) {
    if (error instanceof ExplainError) throw error;
    const code = (error as { code?: string }).code;
    if (cancel.sent() || signal?.aborted) throw cancelledError();
    const stopped = stoppedOnServer(error, timeoutMs, 'the statement ran');
    if (stopped) throw stopped;
    if (code === READ_ONLY_SQL_TRANSACTION) {
      // Writes the parse tree cannot see, e.g. inside a function the statement calls.
      throw new ExplainError('needs-confirmation', `running the statement tried to write (${(error as Error).message}): it needs confirmation; it would then run in a transaction that is rolled back`);
    }
    throw new ExplainError('server-error', (error as Error).message);
  } finally {
    // A cancel still on its way must not land on the ROLLBACK.
    await cancel.sent();
    await db.query('ROLLBACK').catch(() => db.query('ROLLBACK').catch(() => undefined));
    // Session-level advisory locks (pg_advisory_lock() in the statement) survive ROLLBACK; the
    // product's sessions take none of their own, so whatever is held came from the statement.
    if (options.analyze) await db.query('SELECT pg_advisory_unlock_all()').catch(() => undefined);
    cancel.dispose();
  }
}
