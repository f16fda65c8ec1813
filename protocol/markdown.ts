// Workspace text in Markdown (hovers, tree tooltips): every string read from a manifest goes through
// these, so a backtick, bracket, `<img>` or newline in a name stays text: no closed code span, no link,
// no remote image, no HTML. Pure, so the server's handlers and the client share it.

/** Line breaks and other control characters end list items and paragraphs: show them as one space. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g;
const oneLine = (s: string) => s.replace(CONTROL, ' ');

/** `text` as an inline code span, fenced by more backticks than any run inside it. */
export function mdCode(text: string): string {
  const s = oneLine(text);
  let longest = 0;
  for (const run of s.match(/`+/g) ?? []) longest = Math.max(longest, run.length);
  const fence = '`'.repeat(longest + 1);
  // a span that starts or ends with a backtick (or a space) needs a space of padding, which is stripped
  const pad = /^[` ]|[` ]$/.test(s) ? ' ' : '';
  return `${fence}${pad}${s}${pad}${fence}`;
}

/** `text` as literal Markdown text: every ASCII punctuation character backslash-escaped. */
export function mdText(text: string): string {
  return oneLine(text).replace(/[!-/:-@[-`{-~]/g, (c) => `\\${c}`);
}

/** Schemes a link may never use, whatever the server holds (a workspace file is file:, untitled:, vscode-vfs: ...). */
const FORBIDDEN_SCHEMES = /^(?:https?|javascript|vbscript|data|command|mailto|ftp|wss?):/i;

/**
 * A link to a workspace document (`uri` is one the editor gave the server), labelled with literal `label`;
 * anything that is not such a document becomes the label alone, as code.
 */
export function mdLink(label: string, uri: string, fragment = ''): string {
  if (!/^[a-z][a-z0-9+.-]*:/i.test(uri) || FORBIDDEN_SCHEMES.test(uri)) return mdCode(label);
  // percent-encode what would end or confuse the link destination
  const target = `${uri}${fragment ? `#${fragment}` : ''}`.replace(
    /[\s()<>`"'\\[\]]/g,
    (c) => `%${c.charCodeAt(0).toString(16).padStart(2, '0').toUpperCase()}`,
  );
  return `[${mdText(label)}](${target})`;
}
