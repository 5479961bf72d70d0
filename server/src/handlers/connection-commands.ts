/**
 * The connection commands as requests (declared in protocol.ts): reconnect, disconnect, refresh
 * catalog, get status, set password. Each answers with the statuses after it, so a client can show
 * the result without waiting for the next status notification.
 */
import type { Connection } from 'vscode-languageserver';
import { disconnectRequest, reconnectRequest, refreshCatalogRequest, setPasswordNotification, statusRequest } from '../protocol';
import type { Scopes } from '../scopes';

export function registerConnectionCommands(connection: Connection, scopes: Scopes): void {
  connection.onRequest(reconnectRequest, (params) => scopes.forDatabases(params, (database) => database.reconnect()));
  connection.onRequest(disconnectRequest, (params) => scopes.forDatabases(params, (database) => database.disconnect()));
  connection.onRequest(refreshCatalogRequest, (params) => scopes.forDatabases(params, (database) => database.refresh()));
  connection.onRequest(statusRequest, async () => {
    const all = scopes.forParams(undefined);
    await Promise.all(all.map((scope) => scopes.ensureSettings(scope)));
    return all.map((scope) => scopes.statusOf(scope));
  });
  connection.onNotification(setPasswordNotification, (params) => scopes.setPassword(params));
}
