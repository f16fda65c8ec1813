// Messages from the matrix webview, checked before the panel acts on them: the webview renders
// workspace content, so a message is treated as untrusted input (a script injected there must not get
// the panel to open arbitrary URIs or run queries with malformed parameters).
import type { FromWebview } from '../webview/matrix/messages';

const PROTOCOLS = ['TCP', 'UDP', 'SCTP'];
const MAX_TEXT = 1 << 20;
// the locations the matrix sends are the server's documents (files, or the virtual file systems of open
// editors): never a link that runs a command, opens a browser or calls an extension's URI handler
const DOCUMENT_URI = /^[a-z][a-z0-9+.-]*:/i;
const NOT_A_DOCUMENT = /^(command|https?|data|javascript|mailto|vscode|vscode-insiders):/i;

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const isText = (v: unknown, max = MAX_TEXT): v is string => typeof v === 'string' && v.length <= max;
const isIndex = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0;
const isPosition = (v: unknown) => isObj(v) && isIndex(v.line) && isIndex(v.character);

/** The message if it is one the webview may send, with only the keys the panel uses; undefined otherwise. */
export function fromWebview(m: unknown): FromWebview | undefined {
  if (!isObj(m)) return undefined;
  switch (m.type) {
    case 'ready':
    case 'refresh':
      return { type: m.type };
    case 'query': {
      if (!isText(m.from, 4096) || !isText(m.to, 4096)) return undefined;
      const port = m.port;
      if (port !== undefined && !(typeof port === 'number' && Number.isInteger(port) && port >= 1 && port <= 65535)) return undefined;
      if (m.protocol !== undefined && !(typeof m.protocol === 'string' && PROTOCOLS.includes(m.protocol))) return undefined;
      return {
        type: 'query',
        from: m.from,
        to: m.to,
        ...(port !== undefined ? { port } : {}),
        ...(m.protocol !== undefined ? { protocol: m.protocol as 'TCP' | 'UDP' | 'SCTP' } : {}),
      };
    }
    case 'open': {
      const loc = m.location;
      if (!isObj(loc) || !isText(loc.uri, 8192) || !DOCUMENT_URI.test(loc.uri) || NOT_A_DOCUMENT.test(loc.uri) || !isObj(loc.range))
        return undefined;
      if (!isPosition(loc.range.start) || !isPosition(loc.range.end)) return undefined;
      const { start, end } = loc.range as { start: { line: number; character: number }; end: { line: number; character: number } };
      return { type: 'open', location: { uri: loc.uri, range: { start: { ...start }, end: { ...end } } } };
    }
    case 'overlay':
      if (typeof m.on !== 'boolean' || !isIndex(m.marked) || !isIndex(m.outside)) return undefined;
      if (m.id !== undefined && !isIndex(m.id)) return undefined;
      return { type: 'overlay', on: m.on, marked: m.marked, outside: m.outside, ...(m.id !== undefined ? { id: m.id } : {}) };
    case 'showReport':
      if (!isText(m.from, 4096) || !isText(m.to, 4096) || !isText(m.text)) return undefined;
      return { type: 'showReport', from: m.from, to: m.to, text: m.text };
    default:
      return undefined;
  }
}
