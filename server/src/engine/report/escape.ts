// Workspace text in the CLI's outputs (names, labels, messages come from manifests anyone can write):
// the one place that makes it harmless in each format.
// - text: control characters and bidi overrides show as \uXXXX (a name cannot move the cursor,
//   recolour the terminal or reorder what a reviewer reads); a field never spans lines.
// - md: ASCII punctuation backslash-escaped (no table cell break at `|`, no HTML, link, image,
//   @mention or emphasis), on one line.
// - csv: RFC 4180 quoting, and a cell a spreadsheet would run as a formula (= + - @, tab, CR) gets a
//   leading apostrophe (OWASP's CSV injection advice).
// - every output: a line that starts with `::` (a GitHub Actions workflow command) is defused.

// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL_EXCEPT_TAB_NL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL_ALL = /[\u0000-\u001f\u007f-\u009f]/g;
/** bidi embeddings, overrides, isolates and marks; line/paragraph separators */
const BIDI = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]/g;

const uEscape = (c: string) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;

/** Whole outputs (any format) before they reach stdout/stderr: tab and newline pass, JSON stays valid. */
export function guardOutput(text: string): string {
  return text
    .replace(CONTROL_EXCEPT_TAB_NL, uEscape)
    .replace(BIDI, uEscape)
    .replace(/^([ \t]*)::/gm, '$1\\u003a:');
}

/** One field of a text line: every control character visible, so the field stays on its line. */
export function textField(s: string): string {
  return s.replace(CONTROL_ALL, (c) => (c === '\n' ? '\\n' : c === '\t' ? '\\t' : c === '\r' ? '\\r' : uEscape(c))).replace(BIDI, uEscape);
}

/** One Markdown table cell (or inline text): literal, on one line. */
export function mdCell(s: string): string {
  return textField(s).replace(/[!-/:-@[-`{-~]/g, (c) => `\\${c}`);
}

/** One CSV cell: formulas neutralised, quoted when needed. */
export function csvCell(s: string): string {
  let v = textField(s);
  if (/^[=+\-@\t\r]/.test(v)) v = `'${v}`;
  return /[",\n\r]/.test(v) || v !== v.trim() ? `"${v.replace(/"/g, '""')}"` : v;
}
