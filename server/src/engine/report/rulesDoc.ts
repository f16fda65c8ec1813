// The rules' metadata as docs/rules.md states it (its summary table: code, default severity,
// summary), for SARIF's rule descriptors. The caller reads the file; this only parses it.
export interface RuleDoc {
  code: string;
  severity: string;
  summary: string;
}

const ROW = /^\|\s*\[`([a-z0-9-]+)`\]\(#[a-z0-9-]+\)\s*\|\s*([a-z]+)\s*\|\s*(.*?)\s*\|\s*$/;

export function parseRulesDoc(markdown: string): Map<string, RuleDoc> {
  const out = new Map<string, RuleDoc>();
  for (const line of markdown.split('\n')) {
    const m = ROW.exec(line);
    if (m && !out.has(m[1])) out.set(m[1], { code: m[1], severity: m[2], summary: m[3].replace(/`/g, '') });
  }
  return out;
}
