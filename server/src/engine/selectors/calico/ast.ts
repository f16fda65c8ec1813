// Types of the Calico (projectcalico.org/v3) selector language: the syntax tree and the parse result.

/** `key OP "value"`: the operators that compare a label's value with one string. */
export type CalicoCompareOp = '==' | '!=' | 'contains' | 'starts with' | 'ends with';
/** `key OP {"a", "b"}`: the set operators. */
export type CalicoSetOp = 'in' | 'not in';

/**
 * A parsed selector. Nodes carry no positions, so two parses of equivalent text are deepEqual;
 * positions are in `CalicoParseOk.spans`.
 */
export type CalicoSelector =
  /** all(): every endpoint (also the empty selector). */
  | { readonly kind: 'all' }
  /** global(): non-namespaced resources; meaningful only in a namespaceSelector (see evaluate.ts). */
  | { readonly kind: 'global' }
  | { readonly kind: 'has'; readonly key: string }
  | { readonly kind: 'compare'; readonly op: CalicoCompareOp; readonly key: string; readonly value: string }
  /** values are sorted (by code point) and free of duplicates, as Calico keeps them. */
  | { readonly kind: 'set'; readonly op: CalicoSetOp; readonly key: string; readonly values: readonly string[] }
  /** never wraps another 'not': the parser folds double negations away. */
  | { readonly kind: 'not'; readonly operand: CalicoSelector }
  /** two or more operands, in source order (a parenthesized && group stays one nested operand). */
  | { readonly kind: 'and'; readonly operands: readonly CalicoSelector[] }
  | { readonly kind: 'or'; readonly operands: readonly CalicoSelector[] };

/** Half-open range of UTF-16 offsets in the selector text: [start, end). */
export interface CalicoSpan {
  readonly start: number;
  readonly end: number;
}

export interface CalicoParseError extends CalicoSpan {
  readonly message: string;
}

export interface CalicoParseOk {
  readonly ok: true;
  readonly ast: CalicoSelector;
  /** The text held only spaces and tabs (or nothing): the AST is all(), as Calico reads it. */
  readonly empty: boolean;
  /** Where each node of `ast` comes from in the text (by node identity). */
  readonly spans: ReadonlyMap<CalicoSelector, CalicoSpan>;
}

export interface CalicoParseFailure {
  readonly ok: false;
  readonly error: CalicoParseError;
}

export type CalicoParseResult = CalicoParseOk | CalicoParseFailure;
