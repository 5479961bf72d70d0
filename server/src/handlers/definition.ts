/** textDocument/definition: where the functions, views and tables under the cursor were defined in workspace files. */
import type { Location, Position } from 'vscode-languageserver';
import { definitionsAt } from '../core/definition';
import type { Analysis } from '../diagnostics-service';
import { LinesOf, locator } from '../lsp-convert';

export function definition(uri: string, analysis: Analysis, position: Position, linesOf: LinesOf): Location[] {
  const locate = locator(uri, analysis.lines, linesOf);
  const offset = analysis.lines.offsetAt(position);
  return definitionsAt(analysis.statementsTouching(offset, offset), offset).flatMap((location) => locate(location) ?? []);
}
