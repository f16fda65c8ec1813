// Label selectors written as strings (`app=web,tier!=db,env in (a,b),!legacy`), as patch targets use them.

type Req = { key: string; op: '=' | '!=' | 'in' | 'notin' | 'exists' | '!'; values: string[] };

/** The requirements of a selector string, or an error message. */
export function parseSelectorString(text: string): Req[] | string {
  const reqs: Req[] = [];
  // split on commas outside parentheses
  const parts: string[] = [];
  let depth = 0;
  let cur = '';
  for (const c of text) {
    if (c === '(') depth++;
    if (c === ')') depth--;
    if (c === ',' && depth === 0) {
      parts.push(cur);
      cur = '';
    } else cur += c;
  }
  if (cur.trim() !== '' || parts.length > 0) parts.push(cur);
  for (const raw of parts) {
    const p = raw.trim();
    if (p === '') return `empty requirement in selector '${text}'`;
    let m: RegExpExecArray | null;
    if ((m = /^!\s*([\w./-]+)$/.exec(p))) reqs.push({ key: m[1], op: '!', values: [] });
    else if ((m = /^([\w./-]+)\s+(in|notin)\s*\(([^)]*)\)$/.exec(p)))
      reqs.push({ key: m[1], op: m[2] as 'in' | 'notin', values: m[3].split(',').map((v) => v.trim()) });
    else if ((m = /^([\w./-]+)\s*(!=|==|=)\s*([\w./-]*)$/.exec(p)))
      reqs.push({ key: m[1], op: m[2] === '!=' ? '!=' : '=', values: [m[3]] });
    else if ((m = /^([\w./-]+)$/.exec(p))) reqs.push({ key: m[1], op: 'exists', values: [] });
    else return `cannot parse the selector requirement '${p}'`;
  }
  return reqs;
}

export function selectorStringMatches(reqs: Req[], labels: Record<string, string>): boolean {
  return reqs.every((r) => {
    const has = Object.prototype.hasOwnProperty.call(labels, r.key);
    switch (r.op) {
      case '=':
        return has && labels[r.key] === r.values[0];
      case '!=':
        return !has || labels[r.key] !== r.values[0];
      case 'in':
        return has && r.values.includes(labels[r.key]);
      case 'notin':
        return !has || !r.values.includes(labels[r.key]);
      case 'exists':
        return has;
      case '!':
        return !has;
    }
  });
}
