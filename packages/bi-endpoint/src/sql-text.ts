/**
 * Just enough of ClickHouse's lexer to see a statement's outline without parsing it: where the
 * first statement ends, a trailing `FORMAT <name>` clause and `INTO OUTFILE`. Strings, quoted
 * identifiers, heredocs and comments are skipped whole, so a `;` or `FORMAT` inside them is not
 * mistaken for structure. Everything else is left to the engine's own parser.
 */
export interface SqlOutline {
  /** The first statement without its trailing FORMAT clause and `;`. */
  statement: string;
  /** The name of the statement's FORMAT clause, if it has one. */
  format: string | undefined;
  /** Something other than whitespace and comments follows the first `;`. */
  multiStatement: boolean;
  /** The statement writes its result to a file on the server (`INTO OUTFILE`). */
  intoOutfile: boolean;
}

interface Token {
  kind: 'word' | 'quoted' | 'other' | 'semicolon';
  text: string;
  start: number;
  end: number;
  depth: number;
}

export function outlineSql(sql: string): SqlOutline {
  const tokens = tokenize(sql);
  const semicolon = tokens.findIndex((t) => t.kind === 'semicolon');
  const first = semicolon < 0 ? tokens : tokens.slice(0, semicolon);
  const multiStatement = semicolon >= 0 && tokens.slice(semicolon + 1).some((t) => t.kind !== 'semicolon');
  const intoOutfile = first.some(
    (t, i) => isWord(t, 'INTO') && first[i + 1] !== undefined && isWord(first[i + 1]!, 'OUTFILE'),
  );
  const end = semicolon < 0 ? sql.length : tokens[semicolon]!.start;
  const clause = findFormatClause(first);
  if (!clause) return { statement: sql.slice(0, end).trim(), format: undefined, multiStatement, intoOutfile };
  const [keyword, name] = clause;
  return {
    statement: `${sql.slice(0, keyword.start).trimEnd()} ${sql.slice(name.end, end).trim()}`.trim(),
    format: name.kind === 'quoted' ? name.text.slice(1, -1) : name.text,
    multiStatement,
    intoOutfile,
  };
}

/** `FORMAT <name>` at the top level, last in the statement or followed only by SETTINGS. */
function findFormatClause(tokens: Token[]): [Token, Token] | undefined {
  for (let i = tokens.length - 2; i >= 0; i--) {
    const keyword = tokens[i]!;
    const name = tokens[i + 1]!;
    const next = tokens[i + 2];
    if (keyword.depth !== 0 || !isWord(keyword, 'FORMAT')) continue;
    if (name.kind !== 'word' && name.kind !== 'quoted') continue;
    if (next === undefined || isWord(next, 'SETTINGS')) return [keyword, name];
  }
  return undefined;
}

function isWord(token: Token, word: string): boolean {
  return token.kind === 'word' && token.text.toUpperCase() === word;
}

function tokenize(sql: string): Token[] {
  const tokens: Token[] = [];
  let depth = 0;
  let i = 0;
  while (i < sql.length) {
    const c = sql[i]!;
    const start = i;
    if (/\s/.test(c)) {
      i++;
    } else if (sql.startsWith('--', i) || c === '#') {
      const eol = sql.indexOf('\n', i);
      i = eol < 0 ? sql.length : eol + 1;
    } else if (sql.startsWith('/*', i)) {
      i = skipBlockComment(sql, i);
    } else if (c === "'" || c === '"' || c === '`') {
      i = skipQuoted(sql, i, c);
      tokens.push({ kind: c === "'" ? 'other' : 'quoted', text: sql.slice(start, i), start, end: i, depth });
    } else if (c === '$' && /^\$[A-Za-z0-9_]*\$/.test(sql.slice(i))) {
      const tag = /^\$[A-Za-z0-9_]*\$/.exec(sql.slice(i))![0];
      const close = sql.indexOf(tag, i + tag.length);
      i = close < 0 ? sql.length : close + tag.length;
      tokens.push({ kind: 'other', text: sql.slice(start, i), start, end: i, depth });
    } else if (/[A-Za-z_]/.test(c)) {
      while (i < sql.length && /[A-Za-z0-9_$]/.test(sql[i]!)) i++;
      tokens.push({ kind: 'word', text: sql.slice(start, i), start, end: i, depth });
    } else {
      i++;
      if (c === '(' || c === '[' || c === '{') depth++;
      if (c === ')' || c === ']' || c === '}') depth = Math.max(0, depth - 1);
      const kind = c === ';' && depth === 0 ? 'semicolon' : 'other';
      tokens.push({ kind, text: c, start, end: i, depth });
    }
  }
  return tokens;
}

function skipBlockComment(sql: string, from: number): number {
  let nesting = 0;
  let i = from;
  while (i < sql.length) {
    if (sql.startsWith('/*', i)) {
      nesting++;
      i += 2;
    } else if (sql.startsWith('*/', i)) {
      nesting--;
      i += 2;
      if (nesting === 0) return i;
    } else {
      i++;
    }
  }
  return sql.length;
}

/** Quoted text ends at an unescaped quote; a backslash escapes, and so does a doubled quote. */
function skipQuoted(sql: string, from: number, quote: string): number {
  let i = from + 1;
  while (i < sql.length) {
    const c = sql[i]!;
    if (c === '\\') {
      i += 2;
    } else if (c === quote) {
      if (sql[i + 1] === quote) i += 2;
      else return i + 1;
    } else {
      i++;
    }
  }
  return sql.length;
}
