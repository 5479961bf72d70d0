/**
 * The command line: the same engine as the editor, for CI. Files in, report out.
 *   pg-parallel-hints check [--db URL] [--pg-version N] [--format text|json|sarif]
 *                           [--fail-on unsafe|restricted|never] [--verify] FILES/DIRS/GLOBS
 *   pg-parallel-hints explain --db URL [--analyze] [--allow-writes] [--timeout-ms N]
 *                             [--format text|json] (FILE:LINE | -c SQL)
 *   pg-parallel-hints lsp --stdio | --node-ipc | --socket=PORT | --pipe=NAME
 * Exit codes: 0 nothing at or above the threshold, 1 findings, 2 usage, file or connection error;
 * explain: 0 explained, 2 usage, connection or statement error, 130 interrupted (Ctrl-C).
 */
import { readFileSync, Stats, statSync } from 'fs';
import * as path from 'path';
import { pathToFileURL } from 'url';
import { parseArgs, ParseArgsConfig } from 'util';
import { glob, isDynamicPattern } from 'tinyglobby';
import type { CatalogSnapshot } from './core/catalog-snapshot';
import { Catalog } from './core/catalog';
import { analyzeDocument } from './core/document';
import { initParser } from './core/parse';
import { FailOn, Report, ReportFile, failsGate, formatSarif, formatText, plannerCheck, reportStatement } from './core/report';
import { bytesText } from './core/hover';
import { LineIndex } from './core/text';
import { auditSettings, formatAudit } from './core/audit';
import { checkExplainable } from './core/explainable';
import { analyzePlan, PlanFinding, renderPlanReport } from './core/plan';
import { splitStatements } from './core/split';
import { renderWhyNot, WhyNotCosts, WhyNotFinding } from './core/why-not';
import type { ExplainOptions } from './db/explain';
import type { WhyNotOptions } from './db/why-not';
import type { StatementKind } from './core/types';
import { loadBuiltinCatalog, supportedMajors } from './builtin-catalogs';
import { messageOf } from './error-message';
import { productVersion } from './package-root';

const VERSION = productVersion();

type Command = 'check' | 'audit' | 'explain' | 'lsp';

/** Each command's usage: its synopsis, what it does, and its options (audit's and lsp's are in the synopsis). */
const COMMAND_USAGE: Record<Command, { synopsis: string; options?: string }> = {
  check: {
    synopsis: `  pg-parallel-hints check [options] FILES/DIRS/GLOBS...
                                                     check SQL files (a directory: its .sql files) for
                                                     parallel-query blockers
`,
    options: `check options:
  --db URL              read the catalog from this database (also: PG* variables, DATABASE_URL, .pgpass)
  --no-db               never connect, even when PG* variables are set
  --pg-version N        built-in catalog to use without a database (${supportedMajors.join(', ')}; default 18)
  --format F            text (default), json or sarif
  --fail-on LEVEL       unsafe (default), restricted or never: exit 1 when a finding reaches LEVEL
  --verify              with a database: ask the planner too (read-only, rolled back) and flag disagreements
  --timeout-ms N        with --verify: statement_timeout for planning each statement (default 10000)
  --max-file-size MB    skip larger files with an error (default 10)
`,
  },
  audit: {
    synopsis: `  pg-parallel-hints audit [--db URL] [--format text|json] [--memory GB]
                                                     audit the parallel-query settings of a database
`,
  },
  explain: {
    synopsis: `  pg-parallel-hints explain [options] (FILE:LINE | -c SQL)
                                                     plan one statement: the plan, its findings, and why
                                                     it is or is not parallel
`,
    options: `explain options:
  --db URL              the database to plan in (also: PG* variables, DATABASE_URL, .pgpass)
  FILE:LINE             the statement of FILE that contains LINE (1-based)
  -c SQL                the statement given as text (exactly one)
  --analyze             run it (EXPLAIN ANALYZE) for actual rows, times and workers launched,
                        always inside a transaction that is rolled back
  --allow-writes        with --analyze: confirm running a statement that writes (still rolled back)
  --timeout-ms N        statement_timeout for each query sent (default 10000)
  --format F            text (default) or json
  Ctrl-C cancels the query on the server and exits with 130.
`,
  },
  lsp: {
    synopsis: `  pg-parallel-hints lsp --stdio | --node-ipc | --socket=PORT | --pipe=NAME
                                                     run the language server
`,
  },
};

/** Every command's synopsis, then their options: `pg-parallel-hints --help`. */
const USAGE = `Usage:
${COMMAND_USAGE.check.synopsis}${COMMAND_USAGE.audit.synopsis}${COMMAND_USAGE.explain.synopsis}${COMMAND_USAGE.lsp.synopsis}  pg-parallel-hints --version | --help

${COMMAND_USAGE.check.options}
${COMMAND_USAGE.explain.options}`;

/** One command's usage alone: `pg-parallel-hints COMMAND --help`. */
function commandUsage(command: Command): string {
  const { synopsis, options } = COMMAND_USAGE[command];
  return `Usage:\n${synopsis}${options ? `\n${options}` : ''}`;
}

/** Thrown for usage, file and connection problems: exit code 2 with the message alone. */
export class CliError extends Error {}

/** A bad argument of a command: said as `pg-parallel-hints COMMAND: ...`, with where to read its usage. */
class UsageError extends CliError {
  constructor(
    readonly command: Command,
    what: string,
  ) {
    super(`${what} (see pg-parallel-hints ${command} --help)`);
  }
}

const PLANNABLE = new Set<StatementKind>(['select', 'values', 'create-table-as', 'select-into', 'create-materialized-view', 'copy-to']);

export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** Aborting it interrupts a running explain as Ctrl-C does (the real process listens for SIGINT itself). */
  interrupt?: AbortSignal;
}

/** The real process's streams, for every subcommand. */
function processIo(): CliIo {
  return { stdout: writerTo(process.stdout), stderr: writerTo(process.stderr), env: process.env, cwd: process.cwd() };
}

/**
 * A reader that stops early (`| head`) closes the pipe, and the next write fails with EPIPE. Like
 * other Unix tools we then end quietly: the rest of the output is dropped (nobody reads it) and the
 * exit code stays the run's, instead of a crash on an unhandled 'error' event with a stack trace.
 */
function writerTo(stream: NodeJS.WriteStream): (text: string) => void {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
  });
  return (text) => {
    if (!stream.destroyed) stream.write(text);
  };
}

export async function main(argv: string[], io: CliIo = processIo()): Promise<number> {
  try {
    const [command, ...rest] = argv;
    switch (command) {
      case 'check':
        return await check(rest, io);
      case 'audit':
        return await audit(rest, io);
      case 'explain':
        return await explain(rest, io);
      case 'lsp': {
        if (rest.includes('--help') || rest.includes('-h')) return usage(io, 'lsp');
        checkLspArguments(rest);
        const { runLanguageServer } = await import('./main');
        await runLanguageServer(rest); // a client that cannot be reached is thrown: exit 2 with its message
        return await new Promise<number>(() => undefined); // runs until the client closes the connection
      }
      case '--version':
      case '-v':
        io.stdout(`${VERSION}\n`);
        return 0;
      case undefined:
      case '--help':
      case '-h':
        io.stdout(USAGE);
        return command === undefined ? 2 : 0;
      default:
        throw new CliError(`unknown command "${command}"; the commands are check, explain, audit and lsp (see pg-parallel-hints --help)`);
    }
  } catch (error) {
    const message = messageOf(error);
    io.stderr(`pg-parallel-hints${error instanceof UsageError ? ` ${error.command}` : ''}: ${message}\n`);
    return 2;
  }
}

const LSP_TRANSPORTS = '--stdio, --node-ipc, --socket=PORT or --pipe=NAME';

/**
 * vscode-languageserver reads its transport from process.argv itself and, without one, throws a
 * message about its own API: check here for one transport it accepts (and the --clientProcessId=PID
 * editors add, which it also reads).
 */
function checkLspArguments(args: string[]): void {
  const transports = args.filter((arg) => /^--(stdio|node-ipc)$|^--socket=\d+$|^--pipe=.+$/.test(arg));
  const unknown = args.find((arg) => !transports.includes(arg) && !/^--clientProcessId=\d+$/.test(arg));
  if (unknown !== undefined) throw new UsageError('lsp', `unknown option ${unknown}; lsp takes one transport: ${LSP_TRANSPORTS}`);
  if (transports.length === 0) throw new UsageError('lsp', `no transport given; lsp takes one: ${LSP_TRANSPORTS}`);
  if (transports.length > 1) throw new UsageError('lsp', `one transport only, not ${transports.join(' and ')}`);
}

interface Source {
  file: string;
  text?: string;
  error?: string;
}

// Files as given; a directory's .sql files, as the glob DIR/**/*.sql matches them; a glob's matches.
// Each argument's files are sorted, and arguments keep their order: definitions carry across files.
// An argument that names nothing is a file error of its own (reported like an unreadable file, in
// every format), so the other files are still checked and the report still written.
async function collectFiles(patterns: string[], cwd: string): Promise<FileArgument[]> {
  const files: FileArgument[] = [];
  for (const pattern of patterns) {
    const absolute = path.resolve(cwd, pattern);
    let stats: Stats | undefined;
    try {
      stats = statSync(absolute);
    } catch {
      stats = undefined;
    }
    if ((stats && !stats.isDirectory()) || (!stats && !isDynamicPattern(pattern))) {
      // A file, something else that is no directory, or a plain name that is missing (or a dangling
      // link): readSqlFile reads it or says why not.
      files.push({ file: pattern });
      continue;
    }
    if (stats?.isDirectory()) {
      // Globbed from inside the directory rather than as DIR/**/*.sql: tinyglobby makes an absolute
      // pattern relative to cwd (an empty pattern for cwd itself, an error), and a name may hold glob characters.
      const matches = await glob('**/*.sql', { cwd: absolute, onlyFiles: true, expandDirectories: false });
      if (matches.length === 0) files.push({ file: pattern, error: 'a directory with no .sql files' });
      files.push(...matches.map((match) => path.join(pattern, match)).sort().map((file) => ({ file })));
      continue;
    }
    const matches = await globFromBase(pattern, cwd);
    if (matches.length === 0) files.push({ file: pattern, error: 'no files match this pattern' });
    files.push(...matches.sort().map((file) => ({ file })));
  }
  const seen = new Set<string>();
  return files.filter(({ file }) => !seen.has(file) && seen.add(file));
}

interface FileArgument {
  file: string;
  /** Why the argument gives no file to read. */
  error?: string;
}

/**
 * A glob's matches, spelled as the pattern spells its directory (`../sql/a.sql`, `/ci/sql/a.sql`).
 * Globbed from the pattern's leading directories without wildcards: tinyglobby misses matches whose
 * wildcard stands in a directory above cwd (`../../<any>/x.sql`, `/repo/<any>/x.sql`, `../**` misses
 * subdirectories). A base with escapes (`dir\[1\]/`) is left to tinyglobby, which reads them.
 */
async function globFromBase(pattern: string, cwd: string): Promise<string[]> {
  const segments = pattern.split('/');
  let fixed = 0;
  while (fixed < segments.length - 1 && !isDynamicPattern(segments[fixed])) fixed++;
  const base = fixed === 0 ? '' : `${segments.slice(0, fixed).join('/')}/`;
  if (base.includes('\\')) return glob(pattern, { cwd, onlyFiles: true, expandDirectories: false });
  const matches = await glob(segments.slice(fixed).join('/'), { cwd: path.resolve(cwd, base), onlyFiles: true, expandDirectories: false });
  return matches.map((match) => base + match);
}

/** Reads a file as SQL text, or says why it cannot be: missing, binary, too large, not UTF-8. */
export function readSqlFile(file: string, cwd: string, maxBytes: number): Source {
  let bytes: Buffer;
  try {
    const stats = statSync(path.resolve(cwd, file));
    // A FIFO would block the read forever and a device (/dev/zero) never end; their size says nothing.
    if (!stats.isFile() && !stats.isDirectory()) return { file, error: 'not a regular file (a FIFO, device or socket): not read' };
    if (stats.size > maxBytes) {
      // Sizes that round alike ("10 MB; the limit is 10 MB") are given in bytes.
      const [size, limit] = bytesText(stats.size) === bytesText(maxBytes) ? [`${stats.size} bytes`, `${maxBytes} bytes`] : [bytesText(stats.size), bytesText(maxBytes)];
      return { file, error: `file too large (${size}; the limit is ${limit}, see --max-file-size)` };
    }
    bytes = readFileSync(path.resolve(cwd, file));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return { file, error: code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : `cannot read (${code ?? String(error)})` };
  }
  const nul = bytes.indexOf(0);
  if (nul >= 0) return { file, error: `binary file (NUL byte at offset ${nul}): not SQL text` };
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return { file, text: text.charCodeAt(0) === 0xfeff ? text.slice(1) : text };
  } catch {
    return { file, error: 'not valid UTF-8 text' };
  }
}

/** --timeout-ms: statement_timeout's own range (PostgreSQL takes at most INT_MAX milliseconds). */
function timeoutOption(text: string): number {
  const timeoutMs = Number(text);
  if (!Number.isInteger(timeoutMs) || timeoutMs <= 0 || timeoutMs > 2_147_483_647) throw new CliError('--timeout-ms takes a whole number of milliseconds from 1 to 2147483647');
  return timeoutMs;
}

/**
 * A command's arguments, parsed strictly by util.parseArgs. Its errors speak of its own API ("To
 * specify a positional argument starting with a '-', place it at the end of the command after '--'
 * ..."): on an error the arguments are read again, not strictly, and the tokens that reading gives
 * show which argument is wrong, said in a line of our own.
 */
function parseOptions<T extends Omit<ParseArgsConfig, 'args' | 'strict' | 'tokens'>>(command: Command, args: string[], config: T) {
  try {
    return parseArgs({ ...config, args, strict: true });
  } catch (error) {
    throw new UsageError(command, badArgument(command, args, config) ?? messageOf(error));
  }
}

/** What is wrong with the arguments util.parseArgs refused, if a token shows it. */
function badArgument(command: Command, args: string[], config: Omit<ParseArgsConfig, 'args' | 'strict' | 'tokens'>): string | undefined {
  const options = config.options ?? {};
  const { tokens } = parseArgs({ ...config, args, strict: false, allowPositionals: true, tokens: true });
  for (const token of tokens) {
    if (token.kind === 'positional' && !config.allowPositionals) return `unexpected argument ${token.value}: ${command} takes options only`;
    if (token.kind !== 'option') continue;
    const option = Object.hasOwn(options, token.name) ? options[token.name] : undefined;
    const name = token.rawName;
    if (option === undefined) return `unknown option ${name}`;
    if (option.type === 'boolean' && token.value !== undefined) return `option ${name} takes no value, but was given "${token.value}"`;
    if (option.type === 'string' && token.value === undefined) return `option ${name} needs a value`;
    // What parseArgs calls ambiguous: the next argument, taken as the value, looks like an option.
    if (option.type === 'string' && !token.inlineValue && token.value?.startsWith('-')) {
      return `option ${name} needs a value, and ${token.value} looks like an option; a value that starts with "-" is given as --${token.name}=${token.value}`;
    }
  }
  return undefined;
}

/** The environment variables that make `check` connect without --db. */
const DATABASE_VARIABLES = ['DATABASE_URL', 'PGHOST', 'PGDATABASE', 'PGSERVICE'];

function wantsDatabase(db: string | undefined, noDb: boolean, env: NodeJS.ProcessEnv): boolean {
  if (noDb) return false;
  return !!db || DATABASE_VARIABLES.some((name) => !!env[name]);
}

async function check(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseOptions('check', args, {
    allowPositionals: true,
    options: {
      db: { type: 'string' },
      'no-db': { type: 'boolean', default: false },
      'pg-version': { type: 'string' },
      format: { type: 'string', default: 'text' },
      'fail-on': { type: 'string', default: 'unsafe' },
      verify: { type: 'boolean', default: false },
      'timeout-ms': { type: 'string', default: '10000' },
      'max-file-size': { type: 'string', default: '10' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) return usage(io, 'check');
  const format = values.format as 'text' | 'json' | 'sarif';
  if (!['text', 'json', 'sarif'].includes(format)) throw new CliError(`--format must be text, json or sarif, not "${format}"`);
  const failOn = values['fail-on'] as FailOn;
  if (!['unsafe', 'restricted', 'never'].includes(failOn)) throw new CliError(`--fail-on must be unsafe, restricted or never, not "${failOn}"`);
  // Megabytes of 1024 x 1024 bytes, as bytesText shows them (and pg_size_pretty, and the editor's limit).
  const maxBytes = Math.floor(Number(values['max-file-size']) * 1024 * 1024);
  if (!(maxBytes >= 1)) throw new CliError('--max-file-size takes a positive number of megabytes');
  if (positionals.length === 0) throw new CliError(`check needs at least one file, directory or glob\n${commandUsage('check')}`);
  const timeoutMs = timeoutOption(values['timeout-ms'] as string);
  const useDb = wantsDatabase(values.db, values['no-db'] as boolean, io.env);
  if (values.verify && !useDb) throw new CliError('--verify needs a database (--db URL or PG* variables)');

  const files = await collectFiles(positionals, io.cwd);
  await initParser();

  // The catalog: live when a database is configured (a failure is an error, not a silent fallback).
  let snapshot: CatalogSnapshot;
  let session: DatabaseSession | undefined;
  if (useDb) {
    try {
      session = await connectForCheck(values.db, io.env);
      snapshot = await session.snapshot();
    } catch (error) {
      await session?.close();
      // No file could be checked. A JSON or SARIF reader still gets its document, saying so as it says
      // a file that could not be read; the message goes to stderr, exit 2, as in every format.
      if (format !== 'text') writeDocument({ files: [], error: messageOf(error) }, format, io);
      throw error;
    }
  } else {
    const major = values['pg-version'] ? Number(values['pg-version']) : 18;
    if (!supportedMajors.includes(major)) throw new CliError(`--pg-version must be one of ${supportedMajors.join(', ')}`);
    snapshot = loadBuiltinCatalog(major);
  }

  try {
    let catalog = Catalog.fromSnapshot(snapshot);
    const report: Report = { files: [] };
    let statements = 0;
    let failing = 0;
    let fileErrors = 0;
    for (const { file, error } of files) {
      const source = error === undefined ? readSqlFile(file, io.cwd, maxBytes) : { file, error };
      if (source.error !== undefined || source.text === undefined) {
        fileErrors++;
        report.files.push({ file, statements: [], error: source.error });
        continue;
      }
      const text = source.text;
      const analysis = analyzeDocument(text, catalog, file);
      catalog = analysis.catalogAfter;
      const lines = new LineIndex(text);
      const entry: ReportFile = { file, statements: [] };
      for (const result of analysis.statements) {
        // A psql meta-command (\set, \i ...) is not a statement: not in the report, not counted.
        if (result.kind === 'psql-meta') continue;
        statements++;
        if (failsGate(result, failOn)) failing++;
        const reported = reportStatement(text, lines, result);
        // Once the connection is lost, the statements after it go unverified (stderr says so) rather than each failing alike.
        if (values.verify && session && !session.lost() && PLANNABLE.has(result.kind)) {
          const probe = await session.probe(text.slice(result.range.start, result.range.end), timeoutMs);
          reported.planner = plannerCheck(result.verdict, probe);
        }
        entry.statements.push(reported);
      }
      report.files.push(entry);
    }
    if (format === 'text') io.stdout(formatText(report, { statements, failing }));
    else writeDocument(report, format, io);
    // File errors go to stderr, in every format (the JSON and SARIF documents also carry them).
    for (const f of report.files) if (f.error) io.stderr(`pg-parallel-hints: ${f.file}: ${f.error}\n`);
    // A connection lost during --verify left the statements after it unasked: the run did not do its job.
    const lost = values.verify ? session?.lost() : undefined;
    if (lost) io.stderr(`pg-parallel-hints: lost the connection to ${session!.target} during --verify (${lost}): the planner was not asked about the statements after that\n`);
    return fileErrors > 0 || lost ? 2 : failing > 0 ? 1 : 0;
  } finally {
    await session?.close();
  }
}

/** The database of `check`, connected. */
async function connectForCheck(db: string | undefined, env: NodeJS.ProcessEnv): Promise<DatabaseSession> {
  try {
    return await DatabaseSession.open(db, env);
  } catch (error) {
    // Without --db, a variable of the shell asked for the database: say which, and how to do without.
    const from = db ? [] : DATABASE_VARIABLES.filter((name) => env[name]);
    if (!(error instanceof CliError) || from.length === 0) throw error;
    throw new CliError(`${error.message} (the database is named by ${from.join(', ')} in the environment; --no-db checks with the built-in catalog instead)`);
  }
}

/** The report as the JSON contract of DESIGN.md, or as SARIF. */
function writeDocument(report: Report, format: 'json' | 'sarif', io: CliIo): void {
  const document = format === 'json' ? report : formatSarif(report, VERSION, artifactUri);
  io.stdout(JSON.stringify(document, null, 2) + '\n');
}

/** COMMAND --help: that command's usage alone (--help alone prints every command's). */
function usage(io: CliIo, command: Command): number {
  io.stdout(commandUsage(command));
  return 0;
}

/** A file name as a URI reference: relative ones segment by segment percent-encoded. */
function artifactUri(file: string): string {
  if (path.isAbsolute(file)) return pathToFileURL(file).href;
  return file
    .split(path.sep === '\\' ? /[\\/]/ : '/')
    .map(encodeURIComponent)
    .join('/');
}

async function audit(args: string[], io: CliIo): Promise<number> {
  const { values } = parseOptions('audit', args, {
    options: { db: { type: 'string' }, format: { type: 'string', default: 'text' }, memory: { type: 'string' }, help: { type: 'boolean', short: 'h', default: false } },
  });
  if (values.help) return usage(io, 'audit');
  if (values.format !== 'text' && values.format !== 'json') throw new CliError(`--format must be text or json, not "${values.format}"`);
  const memoryGb = values.memory === undefined ? undefined : Number(values.memory);
  if (memoryGb !== undefined && !(memoryGb > 0)) throw new CliError('--memory takes the server\'s memory in GB, e.g. --memory 64');
  if (!wantsDatabase(values.db, false, io.env)) throw new CliError('audit needs a database (--db URL or PG* variables)');
  const session = await DatabaseSession.open(values.db, io.env);
  try {
    const findings = auditSettings(await session.settings(), { memoryBytes: memoryGb === undefined ? undefined : memoryGb * 1024 ** 3 });
    if (values.format === 'json') io.stdout(JSON.stringify({ target: session.target, findings }, null, 2) + '\n');
    else io.stdout(formatAudit(findings, session.target));
    return findings.some((f) => f.severity !== 'information') ? 1 : 0;
  } finally {
    await session.close();
  }
}

/** The statement explain works on: its text, and where it sits in the file (or the -c text). */
interface ExplainTarget {
  sql: string;
  /** The file and its text, for FILE:LINE; absent for -c. */
  file?: string;
  text: string;
  /** Offsets of the statement in text. */
  start: number;
  end: number;
}

/** FILE:LINE or -c, checked before anything is sent: exactly one statement that EXPLAIN can plan. */
function explainTarget(command: string | undefined, positionals: string[], cwd: string): ExplainTarget {
  if (command !== undefined && positionals.length > 0) throw new CliError('give either FILE:LINE or -c SQL, not both');
  if (command !== undefined) {
    checkNoPsqlMeta(command);
    const check = checkExplainable(command);
    if (!check.ok) throw new CliError(`cannot explain: ${check.message}`);
    return { sql: command, text: command, start: 0, end: command.length };
  }
  if (positionals.length !== 1) throw new CliError(`explain needs one FILE:LINE or -c SQL\n${commandUsage('explain')}`);
  const match = /^(.+):(\d+)$/.exec(positionals[0]);
  if (!match) throw new CliError(`expected FILE:LINE (for example queries.sql:12), not "${positionals[0]}"`);
  const file = match[1];
  const line = Number(match[2]);
  const source = readSqlFile(file, cwd, 10e6);
  if (source.error !== undefined || source.text === undefined) throw new CliError(`${file}: ${source.error}`);
  const text = source.text;
  const lines = new LineIndex(text);
  // A final line break ends the last line rather than starting an empty one.
  const lineCount = lines.lineCount - (/\r?\n$|\r$/.test(text) ? 1 : 0);
  if (line < 1 || line > lineCount) throw new CliError(`${file} has ${plural(lineCount, 'line')}: there is no line ${line}`);
  const slices = splitStatements(text).map((slice) => ({ ...slice, first: lines.positionAt(slice.start).line + 1, last: lines.positionAt(slice.end).line + 1 }));
  const slice = slices.find((s) => s.first <= line && line <= s.last);
  if (!slice) {
    const before = slices.filter((s) => s.last < line).pop();
    const after = slices.find((s) => s.first > line);
    const span = (s: { first: number; last: number }) => (s.first === s.last ? `${s.first}` : `${s.first}-${s.last}`);
    const nearest = [before, after].filter((s): s is (typeof slices)[number] => s !== undefined).map(span);
    throw new CliError(`${file}:${line} is not inside a statement${nearest.length ? ` (the nearest: line${nearest.length > 1 || nearest[0].includes('-') ? 's' : ''} ${nearest.join(' and ')})` : ''}`);
  }
  if (slice.kind === 'psql-meta') throw new CliError(`${file}:${line} is a psql meta-command, not a statement to explain`);
  const sql = text.slice(slice.start, slice.end);
  const check = checkExplainable(sql);
  if (!check.ok) throw new CliError(`cannot explain ${file}:${line}: ${check.message}`);
  return { sql, file, text, start: slice.start, end: slice.end };
}

/**
 * A psql meta-command given with -c (`\\d orders`) is said to be one, as FILE:LINE says it, rather than
 * failing the parse: psql runs those itself and never sends them to the server.
 */
function checkNoPsqlMeta(command: string): void {
  const slices = splitStatements(command);
  const meta = slices.find((slice) => slice.kind === 'psql-meta');
  if (!meta) return;
  const metaText = command.slice(meta.start, meta.end);
  if (slices.every((slice) => slice.kind === 'psql-meta')) throw new CliError(`-c "${metaText}" is a psql meta-command, not a statement to explain`);
  throw new CliError(`-c holds the psql meta-command "${metaText}" besides the statement: give the statement alone`);
}

const plural = (n: number, one: string): string => `${n} ${n === 1 ? one : `${one}s`}`;

/** A finding as JSON: plan findings keep their node path; static reasons get 1-based line and column. */
function findingJson(finding: PlanFinding | WhyNotFinding, place: (offset: number) => { line: number; column: number }) {
  const { range, ...rest } = finding as WhyNotFinding & { nodePath?: number[] };
  if (!range) return rest;
  const start = place(range.start);
  const end = place(range.end);
  return { ...rest, line: start.line, column: start.column, endLine: end.line, endColumn: end.column };
}

/**
 * whyNot.costs rounded as the text report shows them, without the float noise of computed ones
 * (308.6099999999999): to 2 decimals, but below 1 to 3 significant digits, or parallel_tuple_cost
 * values such as 0.0834 would lose theirs.
 */
function roundedCosts(costs: WhyNotCosts | undefined): WhyNotCosts | undefined {
  const round = (n: number) => (Math.abs(n) >= 1 ? Math.round(n * 100) / 100 : Number(n.toPrecision(3)));
  return costs && JSON.parse(JSON.stringify(costs, (_key, value: unknown) => (typeof value === 'number' ? round(value) : value)));
}

async function explain(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseOptions('explain', args, {
    allowPositionals: true,
    options: {
      db: { type: 'string' },
      command: { type: 'string', short: 'c' },
      analyze: { type: 'boolean', default: false },
      'allow-writes': { type: 'boolean', default: false },
      'timeout-ms': { type: 'string', default: '10000' },
      format: { type: 'string', default: 'text' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) return usage(io, 'explain');
  if (values.format !== 'text' && values.format !== 'json') throw new CliError(`--format must be text or json, not "${values.format}"`);
  const timeoutMs = timeoutOption(values['timeout-ms'] as string);
  const analyze = values.analyze as boolean;
  const allowWrites = values['allow-writes'] as boolean;

  await initParser();
  const target = explainTarget(values.command as string | undefined, positionals, io.cwd);
  const check = checkExplainable(target.sql);
  if (check.ok && analyze && check.writes.length > 0 && !allowWrites) {
    throw new CliError(
      `--analyze would run this ${check.kind}, and it writes (${check.writes.join(', ')}): add --allow-writes to run it anyway, inside a transaction that is rolled back, or leave out --analyze to plan it without running it`,
    );
  }
  if (!wantsDatabase(values.db, false, io.env)) throw new CliError('explain needs a database (--db URL or PG* variables)');

  // Ctrl-C: cancel on the server (a real CancelRequest) and exit 130; a second Ctrl-C exits at once.
  const controller = new AbortController();
  let interrupts = 0;
  const onSigint = () => {
    if (++interrupts > 1) process.exit(130);
    controller.abort();
  };
  const onInterrupt = () => controller.abort();
  process.on('SIGINT', onSigint);
  io.interrupt?.addEventListener('abort', onInterrupt, { once: true });
  const interrupted = (what: string): number => {
    io.stderr(`pg-parallel-hints: interrupted: ${what}\n`);
    return 130;
  };
  let session: DatabaseSession | undefined;
  try {
    session = await DatabaseSession.open(values.db as string | undefined, io.env);
    if (controller.signal.aborted) return interrupted('nothing was sent to the database');
    const catalog = Catalog.fromSnapshot(await session.snapshot());
    if (controller.signal.aborted) return interrupted('nothing was sent to the database');
    // The statement alone against the live catalog: what the server plans is what the static analysis judges.
    const statement = analyzeDocument(target.sql, catalog, target.file ?? 'command-line').statements.find((s) => s.kind !== 'psql-meta');
    const { signal } = controller;
    const explained = await session.explain(target.sql, { analyze, allowWrites, timeoutMs, signal });
    const why = await session.whyNot(target.sql, { statement, timeoutMs, signal });
    const report = analyzePlan(explained.plan, { settings: explained.settings, busyParallelWorkers: explained.busyParallelWorkers, versionNum: explained.versionNum });

    const lines = new LineIndex(target.text);
    const place = (offset: number) => {
      const p = lines.positionAt(target.start + offset);
      return { line: p.line + 1, column: p.character + 1 };
    };
    const firstLine = place(0).line;
    const lastLine = place(target.end - target.start).line;
    if (values.format === 'json') {
      const json = {
        statement: explained.statement,
        source: target.file ? { file: target.file, line: firstLine, endLine: lastLine } : { command: true },
        kind: explained.kind,
        analyzed: explained.analyzed,
        generic: explained.generic,
        writes: explained.writes,
        gathers: report.gathers.map((g) => ({ nodeType: g.nodeType, workersPlanned: g.workersPlanned, workersLaunched: g.workersLaunched ?? null, singleCopy: g.singleCopy, path: g.path })),
        findings: [...report.findings, ...why.whyNot.findings].map((f) => findingJson(f, place)),
        probe: why.probe,
        whyNot: { ...why.whyNot, findings: why.whyNot.findings.map((f) => findingJson(f, place)), costs: roundedCosts(why.whyNot.costs), relations: why.relations },
        settings: explained.settings,
        busyParallelWorkers: explained.busyParallelWorkers,
        plan: explained.plan,
      };
      io.stdout(JSON.stringify(json, null, 2) + '\n');
    } else {
      const where = target.file ? `${target.file}:${firstLine}${lastLine > firstLine ? `-${lastLine}` : ''}` : '-c';
      const how = explained.analyzed ? `run with EXPLAIN ANALYZE and rolled back${explained.writes.length ? ` (it writes: ${explained.writes.join(', ')})` : ''}` : 'planned, not run';
      io.stdout(`${where}: ${explained.kind}, ${how}${explained.generic ? '; a generic plan for its $n parameters' : ''}\n\n`);
      io.stdout(renderPlanReport(report, explained.plan));
      io.stdout(
        '\n' +
          renderWhyNot(why.whyNot, (range) => {
            const p = place(range.start);
            return `${target.file ?? '-c'}:${p.line}:${p.column}`;
          }),
      );
    }
    return 0;
  } catch (error) {
    if (controller.signal.aborted) return interrupted(messageOf(error));
    throw error;
  } finally {
    process.off('SIGINT', onSigint);
    io.interrupt?.removeEventListener('abort', onInterrupt);
    await session?.close();
  }
}

/** The CLI's use of the database: one connection, catalog reads and (with --verify) planner probes. */
class DatabaseSession {
  private ended = false;

  private constructor(
    private readonly db: typeof import('./db/connection'),
    private readonly client: import('pg').Client,
    readonly target: string,
  ) {
    client.on('end', () => (this.ended = true));
  }

  /** Why the connection is gone, if it is: given up by the product (no answer), or closed by the server. */
  lost(): string | undefined {
    return this.db.whyAbandoned(this.client) ?? (this.ended ? 'the server closed it' : undefined);
  }

  static async open(url: string | undefined, env: NodeJS.ProcessEnv): Promise<DatabaseSession> {
    // Loaded lazily: `check` without a database never loads pg.
    const db = await import('./db/connection');
    const config = db.connectionConfig({ url }, env);
    const target = db.describeTarget(config);
    try {
      const client = await db.openConnection(config);
      return new DatabaseSession(db, client, target);
    } catch (error) {
      // ConnectionError carries the reason alone (already without secrets); the target is ours to name.
      const reason = error instanceof db.ConnectionError ? error.reason : messageOf(error);
      throw new CliError(`cannot connect to ${target}: ${db.redactSecrets(reason, config)}`);
    }
  }

  async snapshot(): Promise<CatalogSnapshot> {
    const { readCatalogSnapshot } = await import('./db/catalog');
    try {
      return await readCatalogSnapshot(this.db.answeringInTime(this.client));
    } catch (error) {
      throw new CliError(`cannot read the catalog of ${this.target}: ${messageOf(error)}`);
    }
  }

  async settings() {
    const { readSettings } = await import('./db/catalog');
    return readSettings(this.db.answeringInTime(this.client));
  }

  async probe(sql: string, timeoutMs: number) {
    const { probeParallelism } = await import('./db/probe');
    return probeParallelism(this.client, sql, { timeoutMs });
  }

  async explain(sql: string, options: ExplainOptions) {
    const { runExplain, ExplainError } = await import('./db/explain');
    try {
      return await runExplain(this.client, sql, options);
    } catch (error) {
      // The shared message asks for confirmation, which the editor asks in a dialog; here it is a flag.
      if (error instanceof ExplainError && error.reason === 'needs-confirmation') {
        throw new CliError(`${error.message}: confirm with --allow-writes, or leave out --analyze to plan it without running it`);
      }
      throw error;
    }
  }

  async whyNot(sql: string, options: WhyNotOptions) {
    const { whyNotParallel } = await import('./db/why-not');
    return whyNotParallel(this.client, sql, options);
  }

  async close(): Promise<void> {
    void this.db;
    await this.client.end().catch(() => undefined);
  }
}
