/**
 * textDocument/codeAction: quick fixes for the reasons in the range: the engine's own (add the
 * PARALLEL label a function body allows) and an ALTER FUNCTION text for a database function. Text
 * edits only: nothing is executed.
 */
import { CodeAction, CodeActionKind, CodeActionParams, TextEdit } from 'vscode-languageserver';
import { alterFunctionFixes } from '../core/quick-fixes';
import type { Analysis } from '../diagnostics-service';
import { LinesOf, locator, toDiagnostic, toRange } from '../lsp-convert';

export function quickFixes(params: CodeActionParams, analysis: Analysis, linesOf: LinesOf): CodeAction[] {
  const only = params.context.only;
  if (only && !only.some((kind) => kind === CodeActionKind.QuickFix || CodeActionKind.QuickFix.startsWith(`${kind}.`))) return [];
  const uri = params.textDocument.uri;
  const { lines } = analysis;
  const locate = locator(uri, lines, linesOf);
  const start = lines.offsetAt(params.range.start);
  const end = lines.offsetAt(params.range.end);
  const actions: CodeAction[] = [];
  for (const statement of analysis.statementsTouching(start, end)) {
    for (const reason of statement.reasons) {
      if (reason.range.end < start || reason.range.start > end) continue;
      for (const fix of [...(reason.fixes ?? []), ...alterFunctionFixes(analysis.text, statement, reason)]) {
        actions.push({
          title: fix.title,
          kind: CodeActionKind.QuickFix,
          diagnostics: [toDiagnostic(reason, lines, locate)],
          edit: { changes: { [uri]: fix.edits.map((edit) => TextEdit.replace(toRange(lines, edit.range), edit.newText)) } },
        });
      }
    }
  }
  return actions;
}
