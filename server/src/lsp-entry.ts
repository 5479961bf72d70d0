/** The bundled language server (dist/server.js): started by the VS Code client or any editor with --stdio (or --node-ipc). */
import { runLanguageServer } from './main';

runLanguageServer();
