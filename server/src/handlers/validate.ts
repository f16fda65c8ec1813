// The shape of request parameters, checked before a handler uses them: a client (another editor, a
// script, a webview message passed on) may send anything, and a port "abc" or a protocol "ICMP" must
// be answered with InvalidParams naming the field, not an exception deep in the engine.
import { ErrorCodes, ResponseError } from 'vscode-languageserver';

class InvalidParams extends ResponseError<void> {
  constructor(method: string, message: string) {
    super(ErrorCodes.InvalidParams, `${method}: ${message}`);
  }
}

type Field =
  | { type: 'string' }
  | { type: 'integer'; min: number; max: number; optional?: true }
  | { type: 'enum'; values: readonly string[]; optional?: true }
  | { type: 'position' };

type FieldValue<F extends Field> = F extends { type: 'string' }
  ? string
  : F extends { type: 'integer' }
    ? F extends { optional: true }
      ? number | undefined
      : number
    : F extends { type: 'enum'; values: readonly (infer V)[] }
      ? F extends { optional: true }
        ? V | undefined
        : V
      : { line: number; character: number };

const MAX_STRING = 64 * 1024;

/** `params` checked against `fields` (other keys are ignored); throws InvalidParams naming the first bad field. */
export function validParams<S extends Record<string, Field>>(
  method: string,
  params: unknown,
  fields: S,
): { [K in keyof S]: FieldValue<S[K]> } {
  const p = params ?? {};
  if (typeof p !== 'object' || Array.isArray(p)) throw new InvalidParams(method, 'the parameters must be an object');
  const out: Record<string, unknown> = {};
  for (const [key, f] of Object.entries(fields)) {
    const v = (p as Record<string, unknown>)[key];
    const bad = (what: string) => new InvalidParams(method, `"${key}" must be ${what}, not ${describe(v)}`);
    if (v === undefined || v === null) {
      if ('optional' in f && f.optional) continue;
      throw new InvalidParams(method, `"${key}" is missing`);
    }
    switch (f.type) {
      case 'string':
        if (typeof v !== 'string' || v.length > MAX_STRING) throw bad(`a string of at most ${MAX_STRING} characters`);
        break;
      case 'integer':
        if (typeof v !== 'number' || !Number.isInteger(v) || v < f.min || v > f.max) throw bad(`an integer from ${f.min} to ${f.max}`);
        break;
      case 'enum':
        if (typeof v !== 'string' || !f.values.includes(v)) throw bad(`one of ${f.values.join(', ')}`);
        break;
      case 'position': {
        const pos = v as { line?: unknown; character?: unknown };
        const ok = (n: unknown) => typeof n === 'number' && Number.isInteger(n) && n >= 0;
        if (typeof v !== 'object' || !ok(pos.line) || !ok(pos.character)) throw bad('a position {line, character} of integers from 0');
        break;
      }
    }
    out[key] = v;
  }
  return out as { [K in keyof S]: FieldValue<S[K]> };
}

/** A received value in an error message: short, and JSON so that control characters are escaped. */
function describe(v: unknown): string {
  const text = JSON.stringify(v) ?? typeof v;
  return text.length > 40 ? `${text.slice(0, 40)}...` : text;
}
