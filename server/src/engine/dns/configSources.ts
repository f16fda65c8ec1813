// Reads the DNS server configurations a workspace holds: standalone Corefiles, the Corefile key of
// a ConfigMap (CoreDNS's, NodeLocal DNSCache's node-local-dns), and the legacy kube-dns ConfigMap.
import type { DnsConfigSource, Finding, SourceRef } from '../model/types';
import { parseCorefile, type ParsedCorefile } from './corefileSyntax';

export function corefileSource(uri: string, text: string): { source: DnsConfigSource; findings: Finding[] } {
  const corefile = parseCorefile(text, uri);
  return {
    source: { kind: 'corefile', name: uri, ref: { uri, start: 0, end: Math.min(text.length, 1) }, corefile },
    findings: problemFindings(corefile),
  };
}

/** What a ConfigMap's data holds for DNS; `value` reads a data key (text and its ref, and the file offset mapper). */
export function configMapDnsSource(
  id: string,
  name: string,
  namespace: string,
  data: (key: string) => { text: string; ref: SourceRef; at?: (offset: number, isEnd: boolean) => number } | undefined,
): { source?: DnsConfigSource; findings: Finding[] } {
  const findings: Finding[] = [];
  const core = data('Corefile');
  if (core) {
    const corefile = parseCorefile(core.text, core.ref.uri, core.at ?? ((_o, isEnd) => (isEnd ? core.ref.end : core.ref.start)));
    findings.push(...problemFindings(corefile));
    const kind = name === 'node-local-dns' ? 'node-local-dns' : 'corefile';
    return { source: { kind, name: id, ref: core.ref, corefile }, findings };
  }
  if (name !== 'kube-dns' || namespace !== 'kube-system') return { findings };
  const stub = data('stubDomains');
  const up = data('upstreamNameservers');
  const first = stub ?? up;
  if (!first) return { findings };
  const source: DnsConfigSource = { kind: 'kube-dns', name: id, ref: first.ref };
  if (stub) {
    const v = parseJson(stub.text);
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      source.stubDomains = [];
      for (const [domain, servers] of Object.entries(v as Record<string, unknown>)) {
        if (Array.isArray(servers) && servers.every((s) => typeof s === 'string'))
          source.stubDomains.push({ domain: domain.toLowerCase().replace(/\.$/, ''), servers: servers as string[] });
        else findings.push(finding(`kube-dns stubDomains: "${domain}" must map to a list of nameserver addresses`, stub.ref));
      }
    } else findings.push(finding('kube-dns stubDomains must be a JSON object of domain to nameserver list', stub.ref));
  }
  if (up) {
    const v = parseJson(up.text);
    if (Array.isArray(v) && v.every((s) => typeof s === 'string')) source.upstreamNameservers = v as string[];
    else findings.push(finding('kube-dns upstreamNameservers must be a JSON list of nameserver addresses', up.ref));
  }
  return { source, findings };
}

/**
 * For a YAML block scalar (`Corefile: |`): maps an offset in its value to the offset in the file,
 * undefined when the value is not a literal block or its lines do not match the text.
 */
export function blockScalarOffsets(fileText: string, start: number, value: string): ((offset: number) => number) | undefined {
  if (fileText[start] !== '|') return undefined;
  const nl = fileText.indexOf('\n', start);
  if (nl < 0) return undefined;
  const lines = value.split('\n');
  const valueStarts: number[] = [];
  const fileStarts: number[] = [];
  let pos = nl + 1;
  let vpos = 0;
  let indent: number | undefined;
  for (const line of lines) {
    if (pos > fileText.length) break;
    const end = fileText.indexOf('\n', pos);
    const srcLine = fileText.slice(pos, end < 0 ? fileText.length : end);
    if (line === '') {
      if (srcLine.trim() !== '') break; // the value ended (a chomped final newline)
    } else {
      indent ??= srcLine.length - srcLine.trimStart().length;
      if (srcLine.slice(indent, indent + line.length) !== line) return undefined;
      valueStarts.push(vpos);
      fileStarts.push(pos + indent);
    }
    vpos += line.length + 1;
    if (end < 0) break;
    pos = end + 1;
  }
  if (!valueStarts.length) return undefined;
  return (offset) => {
    let i = valueStarts.length - 1;
    while (i > 0 && valueStarts[i] > offset) i--;
    return fileStarts[i] + Math.max(0, offset - valueStarts[i]);
  };
}

function problemFindings(c: ParsedCorefile): Finding[] {
  return c.problems.map((p) => finding(p.message, p.ref));
}

function finding(message: string, ref: SourceRef): Finding {
  return { code: 'corefile-syntax', severity: 'warning', message, ref };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
