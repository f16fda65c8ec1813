// An immutable view of the analysed workspace. Handlers answer from the last complete snapshot;
// derived data (policy index, DNS records, findings) is computed on first use and then kept.
import type { Finding, Model } from '../engine/model/types';
import { lintModel, LintContext } from '../engine/lint';
import { computeMatrix, type Matrix } from '../engine/reachability/matrix';
import { buildDnsIndex, type DnsIndex } from '../engine/dns/records';
import { clusterDomainOf } from '../engine/dns/clusterDomain';
import { LineIndex } from '../engine/parse/lines';

export class Snapshot {
  private _matrix?: Matrix;
  private _dns?: DnsIndex;
  private _findings?: Map<string, Finding[]>;
  private readonly lineIndexes = new Map<string, LineIndex>();

  constructor(readonly version: number, readonly model: Model, private readonly texts: ReadonlyMap<string, string>) {}

  get matrix(): Matrix {
    return (this._matrix ??= computeMatrix(this.model));
  }

  get clusterDomain() {
    return clusterDomainOf(this.model);
  }

  get dns(): DnsIndex {
    return (this._dns ??= buildDnsIndex(this.model, this.clusterDomain.domain));
  }

  allFindings(): Finding[] {
    return [...this.byUri().values()].flat();
  }

  findingsFor(uri: string): Finding[] {
    return this.byUri().get(uri) ?? [];
  }

  private byUri(): Map<string, Finding[]> {
    if (!this._findings) {
      const m = new Map<string, Finding[]>();
      // skipped documents show as hints where they are, so the editor says why nothing is analysed there
      const skips: Finding[] = this.model.skipped.filter((k) => k.ref).map((k) => ({ code: 'skipped', severity: 'hint', message: `NetLens skipped this: ${k.reason}`, ref: { ...k.ref!, end: Math.min(k.ref!.end, k.ref!.start + 1) } }));
      for (const f of [...lintModel(this.model, new LintContext(this.model, this.matrix.index, this.dns)), ...skips]) {
        const list = m.get(f.ref.uri);
        if (list) list.push(f);
        else m.set(f.ref.uri, [f]);
      }
      this._findings = m;
    }
    return this._findings;
  }

  text(uri: string): string | undefined {
    return this.texts.get(uri);
  }

  lines(uri: string): LineIndex {
    let li = this.lineIndexes.get(uri);
    if (!li) {
      li = new LineIndex(this.texts.get(uri) ?? '');
      this.lineIndexes.set(uri, li);
    }
    return li;
  }
}
