// Every string a quick fix writes into YAML goes through yamlScalar: plain when it reads back as the
// same string under YAML 1.2 and YAML 1.1 (what kubectl's parser follows: `yes`, `on`, `0x1F`, `1_000`
// and dates are not strings there), double-quoted otherwise, so a name never injects YAML or changes type.
import { parse } from 'yaml';

/** characters a plain scalar of ours may hold: no indicators, spaces, `#`, `:` or quotes */
const PLAIN = /^[A-Za-z0-9][A-Za-z0-9._/-]*$/;

function readsBackAs(scalar: string, s: string): boolean {
  try {
    return parse(scalar, { version: '1.2' }) === s && parse(scalar, { version: '1.1' }) === s;
  } catch {
    return false;
  }
}

/** `s` as a YAML scalar (a mapping key, a value or a list item, in block or flow context) that parses back to `s`. */
export function yamlScalar(s: string): string {
  if (PLAIN.test(s) && readsBackAs(s, s)) return s;
  // JSON's double-quoted string is a YAML double-quoted scalar; also escape what YAML 1.1 reads as line breaks
  // or does not allow unescaped (C1 controls, U+2028/9, BOM)
  return JSON.stringify(s).replace(/[\u0080-\u009f\u2028\u2029\ufeff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
