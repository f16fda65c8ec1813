// Collects findings while the model is built, and reads typed values the way the API server
// would accept them: a value of the wrong type becomes a finding on its range, never an exception.
import type { Finding, Severity, SourceRef } from './types';
import { isNullish, items, kindName, refOf, scalar, type YNode } from '../parse/yamlNodes';
import { isAlias, isMap, isSeq } from 'yaml';

export class BuildContext {
  readonly findings: Finding[] = [];
  /** Set when the current object would be rejected by the API server. */
  rejected = false;

  constructor(
    public uri: string,
    public fallback: SourceRef,
  ) {}

  ref(node: YNode): SourceRef {
    return refOf(this.uri, node, this.fallback);
  }

  report(code: string, severity: Severity, message: string, ref: SourceRef, data?: Record<string, unknown>): void {
    this.findings.push(data ? { code, severity, message, ref, data } : { code, severity, message, ref });
  }

  /** An invalid value the API server would reject the whole object for. */
  invalid(message: string, node: YNode, code = 'invalid-value'): void {
    this.rejected = true;
    this.report(code, 'error', message, this.ref(node));
  }

  string(node: YNode, what: string): string | undefined {
    const v = scalar(node);
    if (v === undefined || v === null) {
      if (node !== undefined && node !== null && v === undefined) this.invalid(`${what} must be a string, not ${kindName(node)}`, node);
      return undefined;
    }
    if (typeof v !== 'string') {
      this.report('wrong-type', 'error', `${what} should be a string; ${JSON.stringify(v)} is read as "${String(v)}"`, this.ref(node));
      return String(v);
    }
    return v;
  }

  integer(node: YNode, what: string, min: number, max: number): number | undefined {
    const v = scalar(node);
    if (v === undefined || v === null) {
      if (node !== undefined && node !== null && v === undefined) this.invalid(`${what} must be a number, not ${kindName(node)}`, node);
      return undefined;
    }
    if (typeof v !== 'number' || !Number.isInteger(v)) {
      this.invalid(`${what} must be an integer, not ${JSON.stringify(v)}`, node);
      return undefined;
    }
    if (v < min || v > max) {
      this.invalid(`${what} ${v} is out of range ${min}-${max}`, node);
      return undefined;
    }
    return v;
  }

  /**
   * The items of a list field; any other value (a map, a string) is an invalid value, read as no items.
   * (YAML aliases are not followed by the model, so they read as no items without a finding.)
   */
  list(node: YNode, what: string): YNode[] {
    if (!isNullish(node) && !isSeq(node) && !isAlias(node)) this.invalid(`${what} must be a list, not ${kindName(node)}`, node);
    return items(node);
  }

  /** A map field (e.g. spec): any other value is an invalid value. Returns whether it is a usable map. */
  map(node: YNode, what: string): boolean {
    if (isNullish(node) || isAlias(node)) return false;
    if (!isMap(node)) {
      this.invalid(`${what} must be a map, not ${kindName(node)}`, node);
      return false;
    }
    return true;
  }

  boolean(node: YNode, what: string): boolean | undefined {
    const v = scalar(node);
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'boolean') {
      this.invalid(`${what} must be true or false, not ${JSON.stringify(v)}`, node);
      return undefined;
    }
    return v;
  }
}
