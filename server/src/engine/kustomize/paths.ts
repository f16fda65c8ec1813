// POSIX path arithmetic for kustomization paths (the engine cannot import node:path).

/** A `.` or `..` segment, an empty one (`//`, a trailing `/`): what normalizing changes. */
const UNCLEAN = /(^|\/)\.\.?(\/|$)|\/\/|\/$/;

export function normalizePath(p: string): string {
  // most paths are normal already (a scope's 11,000 files, asked for many times per edit)
  if (p !== '' && !UNCLEAN.test(p)) return p;
  const abs = p.startsWith('/');
  const out: string[] = [];
  for (const part of p.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (out.length > 0 && out[out.length - 1] !== '..') out.pop();
      else if (!abs) out.push('..');
    } else out.push(part);
  }
  const joined = out.join('/');
  return abs ? '/' + joined : joined || '.';
}

export function joinPath(dir: string, rel: string): string {
  return rel.startsWith('/') ? normalizePath(rel) : normalizePath(`${dir}/${rel}`);
}

export function dirnameOf(p: string): string {
  const n = normalizePath(p);
  const i = n.lastIndexOf('/');
  if (i < 0) return '.';
  return i === 0 ? '/' : n.slice(0, i);
}

export function basenameOf(p: string): string {
  const n = normalizePath(p);
  return n.slice(n.lastIndexOf('/') + 1);
}

/** Whether `child` is `root` or inside it. */
export function isWithin(root: string, child: string): boolean {
  const r = normalizePath(root);
  const c = normalizePath(child);
  return c === r || c.startsWith(r === '/' ? '/' : r + '/');
}

/** A remote base (git or HTTP URL) rather than a local path. */
export function isRemote(p: string): boolean {
  return (
    /^(https?:\/\/|git::|git@|ssh:\/\/|github\.com\/|gitlab\.com\/|bitbucket\.org\/)/.test(p) ||
    /^[\w.-]+\.[a-z]{2,}\/[\w.-]+\/[\w.-]+.*(\?ref=|\/\/)/.test(p)
  );
}
