// Finds the cluster zones a Corefile serves with the kubernetes plugin.
import type { SourceRef } from '../model/types';

const REVERSE = /(^|\.)(in-addr|ip6)\.arpa\.?$/;

/**
 * `kubernetes cluster.local in-addr.arpa ip6.arpa { ... }` names its zones; a bare `kubernetes`
 * serves the zones of its server block (`cluster.local:53 { kubernetes }`). Reverse zones are skipped.
 */
export function corefileZones(uri: string, text: string, base = 0): { zone: string; ref: SourceRef }[] {
  const out: { zone: string; ref: SourceRef }[] = [];
  const blockZones: string[][] = [];
  let offset = 0;
  for (const rawLine of text.split('\n')) {
    const line = rawLine.replace(/#.*$/, '');
    const trimmed = line.trim();
    const lineStart = offset + (line.length - line.trimStart().length);
    offset += rawLine.length + 1;
    if (!trimmed) continue;
    const words = trimmed.split(/\s+/);
    if (words[0] === 'kubernetes') {
      const zones = words.slice(1).filter((w) => w !== '{');
      const candidates = zones.length ? zones : (blockZones[blockZones.length - 1] ?? []);
      const zone = candidates.map(normalizeZone).find((z) => z && z !== '.' && !REVERSE.test(z));
      if (zone) {
        const at = zones.length ? line.indexOf(zones[0]) + (offset - rawLine.length - 1) : lineStart;
        out.push({ zone, ref: { uri, start: base + at, end: base + at + (zones[0]?.length ?? 'kubernetes'.length) } });
      }
    }
    if (trimmed.endsWith('{'))
      blockZones.push(words[0] === 'kubernetes' ? (blockZones[blockZones.length - 1] ?? []) : words.filter((w) => w !== '{'));
    for (const _ of trimmed.matchAll(/\}/g)) blockZones.pop();
  }
  return out;
}

function normalizeZone(z: string): string {
  return (
    z
      .replace(/^[a-z]+:\/\//, '')
      .replace(/:\d+$/, '')
      .replace(/\.$/, '')
      .toLowerCase() || '.'
  );
}
