/** textDocument/hover: the core's card for whatever is under the cursor, as Markdown. */
import type { Hover, Position } from 'vscode-languageserver';
import type { SourceLocation } from '../core/catalog-snapshot';
import { hoverAt } from '../core/hover';
import type { Analysis } from '../diagnostics-service';
import { LinesOf, toRange } from '../lsp-convert';

export interface HoverFiles {
  linesOf: LinesOf;
  /** "sql/functions.sql" for a file in a workspace folder. */
  fileLabel(uri: string): string;
}

export function hover(uri: string, analysis: Analysis, position: Position, files: HoverFiles): Hover | null {
  const describeLocation = (location: SourceLocation) => {
    const lines = location.uri === uri ? analysis.lines : files.linesOf(location.uri);
    return lines ? `${files.fileLabel(location.uri)}:${lines.positionAt(location.start).line + 1}` : undefined;
  };
  const offset = analysis.lines.offsetAt(position);
  const card = hoverAt(analysis.text, analysis.statementsTouching(offset, offset), offset, { catalog: analysis.catalog, describeLocation });
  return card ? { contents: { kind: 'markdown', value: card.markdown }, range: toRange(analysis.lines, card.range) } : null;
}
