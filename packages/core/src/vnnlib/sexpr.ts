/**
 * S-expressions of VNNLIB files (an SMT-LIB 2 subset), with the 1-based line and column of every
 * token so that errors point at the offending text.
 */
import { DataFormatError } from '../errors.js';

export interface Position {
  readonly line: number;
  readonly column: number;
}

export type SExpr =
  | { readonly kind: 'atom'; readonly text: string; readonly pos: Position }
  | { readonly kind: 'list'; readonly items: readonly SExpr[]; readonly pos: Position };

/** A malformed VNNLIB file; `line`/`column` locate the problem (1-based). */
export class VnnlibSyntaxError extends DataFormatError {
  override name = 'VnnlibSyntaxError';
  constructor(
    readonly detail: string,
    readonly line: number,
    readonly column: number,
    readonly file?: string,
  ) {
    super(`${file ?? 'vnnlib'}:${line}:${column}: ${detail}`);
  }
}

/** Parses every top-level S-expression of `text`. */
export function parseSExprs(text: string, file?: string): SExpr[] {
  let i = 0;
  let line = 1;
  let column = 1;
  const fail = (msg: string, pos: Position = { line, column }): never => {
    throw new VnnlibSyntaxError(msg, pos.line, pos.column, file);
  };
  const advance = (): void => {
    if (text[i] === '\n') {
      line++;
      column = 1;
    } else column++;
    i++;
  };
  const skip = (): void => {
    while (i < text.length) {
      const ch = text[i]!;
      if (ch === ';') {
        while (i < text.length && text[i] !== '\n') advance();
      } else if (ch === ' ' || ch === '\t' || ch === '\n' || ch === '\r') advance();
      else break;
    }
  };
  const stack: { items: SExpr[]; pos: Position }[] = [];
  const top: SExpr[] = [];
  const emit = (e: SExpr): void => {
    if (stack.length > 0) stack[stack.length - 1]!.items.push(e);
    else top.push(e);
  };
  for (;;) {
    skip();
    if (i >= text.length) break;
    const pos = { line, column };
    const ch = text[i]!;
    if (ch === '(') {
      stack.push({ items: [], pos });
      advance();
    } else if (ch === ')') {
      const open = stack.pop();
      if (!open) fail("unexpected ')'", pos);
      advance();
      emit({ kind: 'list', items: open!.items, pos: open!.pos });
    } else if (ch === '|' || ch === '"') {
      fail(`quoted symbols and strings are not part of the VNNLIB subset`, pos);
    } else {
      let j = i;
      while (j < text.length && !/[\s();]/.test(text[j]!)) j++;
      const tok = text.slice(i, j);
      while (i < j) advance();
      if (stack.length === 0) fail(`expected '(' before '${tok}'`, pos);
      emit({ kind: 'atom', text: tok, pos });
    }
  }
  if (stack.length > 0) {
    const open = stack[stack.length - 1]!;
    fail(`'(' opened here is never closed`, open.pos);
  }
  return top;
}
