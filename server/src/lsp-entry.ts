/** The bundled language server (dist/server.js): started by the VS Code client over IPC, or by any editor with --stdio. */
import { runLanguageServer } from './main';

runLanguageServer();
