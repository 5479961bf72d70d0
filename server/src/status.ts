/**
 * The words of the one language status item: which catalog serves a folder and why. Pure: the
 * scope service hands in the connection state and the time the last live catalog was read.
 */
import { thousands } from './core/hover';
import type { CatalogSnapshot } from './core/catalog-snapshot';
import type { DatabaseState } from './db/connection-manager';
import type { StatusParams } from './protocol';

export interface StatusInput {
  trusted: boolean;
  pgVersion: number;
  /** The workspace folder URI, '' outside every folder. */
  folder: string;
  /** Why the connection settings were not used (settings.ts), when they were not. */
  connectionRejected?: string;
  database?: { state: DatabaseState; target: string; shortTarget: string };
  /** The catalog the folder's database gave last, and when ("10:42"), while it serves without a connection. */
  lastLive?: { snapshot: CatalogSnapshot; readAt: string };
  /** Functions in the live catalog (while live). */
  functionCount: number;
}

export function statusText(input: StatusInput): StatusParams {
  const offline = `offline: PostgreSQL ${input.pgVersion} built-ins + workspace`;
  const folder = input.folder ? { folder: input.folder } : {};
  const database = input.database;
  if (!input.trusted) return { state: 'offline', text: offline, detail: 'untrusted workspace: no database connection', ...folder };
  if (input.connectionRejected) {
    return { state: 'error', text: offline, detail: `not connecting: the settings are not usable (${input.connectionRejected})`, ...folder };
  }
  if (!database) {
    return { state: 'offline', text: offline, detail: 'no database configured (pgParallelHints.connection, PG* environment variables or DATABASE_URL)', ...folder };
  }
  const state = database.state;
  // Without a connection, the line names the catalog that serves: the last live one, or the built-ins.
  const last = input.lastLive;
  const serving = last ? `PG ${last.snapshot.source.version} @ ${database.shortTarget} (disconnected, last catalog from ${last.readAt})` : offline;
  switch (state.name) {
    case 'idle':
      return { state: 'offline', text: serving, detail: `connects to ${database.target} when a SQL file is opened`, ...folder };
    case 'connecting':
      // Retries in the background do not flicker the status between "connecting" and "offline".
      if (state.lastError) return { state: 'error', text: serving, detail: `${state.lastError}; retrying in the background`, ...folder };
      return { state: 'connecting', text: `connecting to ${database.shortTarget}…`, detail: database.target, ...folder };
    case 'live':
      return { state: 'live', text: `PG ${state.snapshot.source.version} @ ${database.shortTarget}, ${thousands(input.functionCount)} functions`, detail: `${database.target}: live catalog`, ...folder };
    case 'error':
      return { state: 'error', text: serving, detail: `${state.message}; retrying in the background`, ...folder };
    case 'disconnected':
      return { state: 'offline', text: serving, detail: `disconnected from ${database.target}`, ...folder };
  }
}

/** "10:42" today, "2025-01-06 10:42" on another day (local time, as the user reads a clock). */
export function clockText(at: number, now: number): string {
  const when = new Date(at);
  const two = (n: number) => String(n).padStart(2, '0');
  const time = `${two(when.getHours())}:${two(when.getMinutes())}`;
  if (when.toDateString() === new Date(now).toDateString()) return time;
  return `${when.getFullYear()}-${two(when.getMonth() + 1)}-${two(when.getDate())} ${time}`;
}
