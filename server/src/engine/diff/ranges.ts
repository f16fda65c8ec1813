// Compares one workload's external ranges between two versions that cut the address space
// differently: both versions' boundaries cut it again, and neighbouring pieces whose before/after
// ports are the same merge back into one range.
import { intervalText, type IpInterval } from '../net/ipRanges';
import { equals, NO_PORTS, type PortSet } from '../net/ports';
import type { ExternalPiece } from './connectivity';

export interface RangeChange {
  range: string;
  interval: IpInterval;
  before: PortSet;
  after: PortSet;
}

const FAMILY_END = { ipv4: (1n << 32n) - 1n, ipv6: (1n << 128n) - 1n } as const;

function portsAt(pieces: readonly ExternalPiece[], family: IpInterval['family'], at: bigint): PortSet {
  for (const p of pieces) if (p.interval.family === family && p.interval.start <= at && at <= p.interval.end) return p.ports;
  return NO_PORTS;
}

export function compareRanges(base: readonly ExternalPiece[], head: readonly ExternalPiece[]): RangeChange[] {
  const out: RangeChange[] = [];
  for (const family of ['ipv4', 'ipv6'] as const) {
    const cuts = new Set<bigint>();
    for (const p of [...base, ...head])
      if (p.interval.family === family) {
        cuts.add(p.interval.start);
        if (p.interval.end < FAMILY_END[family]) cuts.add(p.interval.end + 1n);
      }
    if (cuts.size === 0) continue;
    cuts.add(0n);
    const points = [...cuts].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    let open: { start: bigint; end: bigint; before: PortSet; after: PortSet } | undefined;
    const flush = () => {
      if (open && !equals(open.before, open.after)) {
        const interval: IpInterval = { family, start: open.start, end: open.end };
        out.push({ range: intervalText(interval), interval, before: open.before, after: open.after });
      }
      open = undefined;
    };
    points.forEach((start, k) => {
      const end = k + 1 < points.length ? points[k + 1] - 1n : FAMILY_END[family];
      const before = portsAt(base, family, start);
      const after = portsAt(head, family, start);
      if (open && equals(open.before, before) && equals(open.after, after)) open.end = end;
      else {
        flush();
        open = { start, end, before, after };
      }
    });
    flush();
  }
  return out;
}
