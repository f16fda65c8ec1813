// An immutable view of the analysed workspace. Handlers answer from the last complete snapshot;
// derived data (policy index, DNS records, findings) is computed on first use and then kept.
// Findings are computed per file when a file is asked for (an edit re-lints the edited file, not
// the workspace); the whole workspace's findings come from lintSteps, run in slices when idle.
import type { Finding, Model, Workload } from '../engine/model/types';
import { degreeFromIndex } from '../engine/reachability/degree';
import { lintModel, LintContext } from '../engine/lint';
import { computeMatrix, type Matrix } from '../engine/reachability/matrix';
import { buildPolicyIndex, type PolicyIndex } from '../engine/policy/grants';
import { patchPolicyIndex } from '../engine/policy/patchIndex';
import { buildDnsIndex, type DnsIndex } from '../engine/dns/records';
import { clusterDomainOf } from '../engine/dns/clusterDomain';
import { LineIndex } from '../engine/parse/lines';
import { Locator } from '../engine/report/locate';
import { lookup } from '../engine/model/lookup';
import type { SourceRef } from '../engine/model/types';
import { LOOSE_SCOPE, type Scope } from '../engine/scopes';
import type { ActiveScope } from './scopes';

export type FindingCounts = { error: number; warning: number; info: number };

// Files linted together in one step of the whole-workspace pass: a request waits for at most one
// step (a few ms on 10k workloads).
const FILES_PER_STEP = 16;
// Rendered objects linted together in one step (a rendered scope read object by object).
const OBJECTS_PER_STEP = 64;

export class Snapshot {
  private _matrix?: Matrix;
  private _index?: PolicyIndex;
  private _dns?: DnsIndex;
  private _cx?: LintContext;
  /** findings of the files linted so far */
  private readonly byFile = new Map<string, Finding[]>();
  private complete = false;
  private readonly lineIndexes = new Map<string, LineIndex>();

  /** a rendered scope read object by object: each object's findings, mapped to their sources (undefined: not linted yet) */
  private objectFindings?: (Finding[] | undefined)[];

  /** the latest policy index of an earlier snapshot, to carry over what an edit did not change */
  private base?: PolicyIndex;
  /** the patch from `base` gave up (too much changed): the first request that needs the index builds it */
  private patchGaveUp = false;

  constructor(
    readonly version: number,
    readonly model: Model,
    private readonly texts: ReadonlyMap<string, string>,
    previous?: Snapshot,
    /** the scopes and the active one; undefined when every file is loose (no kustomization or chart) */
    readonly scoping?: ActiveScope,
  ) {
    this.base = previous?._matrix?.index ?? previous?._index ?? previous?.base;
    // every request on this snapshot (the edited file's pull, the next hover) starts with these
    lookup(model).warm();
  }

  /** The policy index (carried over from the previous snapshot's where an edit did not change it). */
  get policyIndex(): PolicyIndex {
    if (!this._index) {
      // patched where the edit was small (proportional to it), else carried over per class slot
      const patched = this._matrix?.index ?? (this.base && !this.patchGaveUp ? patchPolicyIndex(this.model, this.base) : undefined);
      this._index = patched ?? buildPolicyIndex(this.model, this.base);
      this.base = undefined;
    }
    return this._index;
  }

  /** Whether patchPolicyIndexIfCheap has something to do: no index yet, one to patch from, not given up. */
  get canPatchPolicyIndex(): boolean {
    return !this._index && !this._matrix && this.base !== undefined && !this.patchGaveUp;
  }

  /**
   * Patches the policy index from the earlier snapshot's where that is proportional to the edit
   * (patchPolicyIndex); nothing when this snapshot has one, or when only a build would do (that is left to
   * the first request that needs it). The server calls it once an edit's answer is out (idlePatch.ts), so
   * the lenses and hovers after the edit find the index patched, each patch covering one edit.
   */
  patchPolicyIndexIfCheap(): boolean {
    if (!this.canPatchPolicyIndex) return false;
    const patched = patchPolicyIndex(this.model, this.base!);
    if (!patched) {
      this.patchGaveUp = true;
      return false;
    }
    this._index = patched;
    this.base = undefined;
    return true;
  }

  /**
   * Builds the policy index unless this snapshot has one or can carry one over (once per server, after
   * indexing): later snapshots patch it, so no code lens or hover after an edit pays for a whole build.
   */
  warmPolicyIndex(): boolean {
    if (this._index || this._matrix || this.base) return false;
    void this.policyIndex;
    // and one workload's degree, so that the first lens does not also pay for compiling that code
    const w = this.model.workloads[0];
    if (w) this.degree(w);
    return true;
  }

  /**
   * Counts the degrees of these workloads (their code lenses) ahead of the request, where the policy index is
   * there and counts them without the matrix (no admin, Cilium or Calico policies); a whole matrix is never
   * computed here. The server does it with the idle patch, for the open documents' workloads.
   */
  warmDegrees(workloads: readonly Workload[]): number {
    const index = this._index;
    if (!index || this._matrix) return 0;
    let n = 0;
    for (const w of workloads) {
      if (degreeFromIndex(index, w) === undefined) break;
      n++;
    }
    return n;
  }

  get matrix(): Matrix {
    return (this._matrix ??= computeMatrix(this.model, this.policyIndex));
  }

  /** How connected a workload is (its code lens): from the matrix once computed, else from the policy index alone. */
  degree(w: Workload): { reaches: number; reachableFrom: number } {
    if (this._matrix) return this._matrix.degree(w);
    return degreeFromIndex(this.policyIndex, w) ?? this.matrix.degree(w);
  }

  get clusterDomain() {
    return clusterDomainOf(this.model);
  }

  get dns(): DnsIndex {
    return (this._dns ??= buildDnsIndex(this.model, this.clusterDomain.domain));
  }

  private get lintContext(): LintContext {
    // lint asks the matrix for pairs once a hover, lens or view has computed it; it never computes one
    return (this._cx ??= new LintContext(this.model, this.dns, () => this._matrix));
  }

  /** Every finding of the workspace (computes whatever lintSteps has not yet). */
  allFindings(): Finding[] {
    for (const _ of this.lintSteps());
    if (this.byObject) {
      const view = this.scoping!.view!;
      return [...view.findings, ...this.objectFindings!.flatMap((l) => l ?? []), ...this.configFindings];
    }
    return [...this.byFile.values()].flat();
  }

  /** Whether every file's findings are known (lintSteps ran to the end). */
  get findingsComplete(): boolean {
    return this.complete;
  }

  /** The scopes of the workspace (one loose scope when there is no kustomization or chart). */
  get scopes(): Scope[] {
    return this.scoping?.scopes ?? [{ id: LOOSE_SCOPE, kind: 'loose', root: '', files: [] }];
  }

  get activeScope(): string {
    return this.scoping?.active.id ?? LOOSE_SCOPE;
  }

  /** what the scope configuration (`.netlens.yaml`) got wrong, at its lines */
  get configFindings(): Finding[] {
    return this.scoping?.configFindings ?? [];
  }

  /** The ids of the scopes whose files include a file (every file is loose without scoping). */
  scopesOf(uri: string): string[] {
    if (!this.scoping) return [LOOSE_SCOPE];
    const p = this.scoping.input.files.find((f) => f.uri === uri)?.path;
    return p === undefined ? [] : this.scoping.scopes.filter((s) => s.files.includes(p)).map((s) => s.id);
  }

  /** A place in the analysed text as the place a person edits (rendered objects map to their sources). */
  mapRef(ref: SourceRef): SourceRef {
    const o = this.scoping?.view?.origins;
    if (!o) return ref;
    const m = o.map(ref);
    return { uri: m.uri, start: m.start, end: m.end };
  }

  /** A place in a source file as the place the model knows (in a rendered scope: the rendered object). */
  toAnalysed(uri: string, offset: number): { uri: string; offset: number } | undefined {
    const o = this.scoping?.view?.origins;
    if (!o) return { uri, offset };
    if (this.scoping?.view?.objects) return o.toObject(uri, offset);
    const at = o.toRendered(uri, offset);
    return at === undefined ? undefined : { uri: o.virtualUri, offset: at };
  }

  findingsFor(uri: string): Finding[] {
    if (this.byObject) {
      let list = this.byFile.get(uri);
      if (!list) this.byFile.set(uri, (list = this.objectFindingsFor(uri)));
      return list;
    }
    if (this.scoping?.view) {
      this.lintRendered();
      return this.byFile.get(uri) ?? [];
    }
    let list = this.byFile.get(uri);
    if (!list) {
      this.lintFiles([uri]);
      list = this.byFile.get(uri)!;
    }
    return list;
  }

  /** Lints the files not linted yet, a slice per step; the caller decides when to run the next one. */
  *lintSteps(): Generator<void> {
    if (this.complete) return;
    if (this.byObject) {
      const all = this.objectFindings!;
      for (let k = 0; k < all.length; k += OBJECTS_PER_STEP) {
        const ks: number[] = [];
        for (let j = k; j < Math.min(all.length, k + OBJECTS_PER_STEP); j++) if (!all[j]) ks.push(j);
        this.lintObjects(ks);
        yield;
      }
      this.complete = true;
      return;
    }
    if (this.scoping?.view) {
      this.lintRendered();
      return;
    }
    const pending = this.findingUris().filter((u) => !this.byFile.has(u));
    for (let i = 0; i < pending.length; i += FILES_PER_STEP) {
      this.lintFiles(pending.slice(i, i + FILES_PER_STEP).filter((u) => !this.byFile.has(u)));
      yield;
    }
    this.complete = true;
    // every file's findings are known, so nothing lints this snapshot again: its lint context's caches (each
    // pod's resolv.conf and name searches, 145 MB on XL) go (the DNS index stays: hovers and queries use it)
    this._cx = undefined;
  }

  /** Whether the active scope is a rendered one whose objects the model read one by one (RenderedObject). */
  private get byObject(): boolean {
    const view = this.scoping?.view;
    if (!view?.objects || !view.origins) return false;
    this.objectFindings ??= new Array<Finding[] | undefined>(view.objects.length);
    return true;
  }

  /**
   * A source file's findings in a rendered scope read object by object: lints only the objects whose places
   * can map to it (from it, patched by it, passing through it), then the renderer's and the configuration's.
   */
  private objectFindingsFor(uri: string): Finding[] {
    const view = this.scoping!.view!;
    const origins = view.origins!;
    const ks = origins.docsMappingTo(uri);
    this.lintObjects(ks.filter((k) => !this.objectFindings![k]));
    const out = view.findings.filter((f) => f.ref.uri === uri);
    for (const k of ks) for (const f of this.objectFindings![k]!) if (f.ref.uri === uri) out.push(f);
    for (const f of this.configFindings) if (f.ref.uri === uri) out.push(f);
    return out;
  }

  /**
   * In a rendered scope read object by object: the URIs of the objects whose places can map to a source
   * file (undefined otherwise), so that callers map only those.
   */
  analysedUrisFor(uri: string): Set<string> | undefined {
    if (!this.byObject) return undefined;
    const origins = this.scoping!.view!.origins!;
    return new Set(origins.docsMappingTo(uri).map((k) => origins.uriOfDoc(k)));
  }

  /** Lints rendered objects (indexes into the view's objects) and keeps their findings, mapped to their sources. */
  private lintObjects(ks: readonly number[]): void {
    if (ks.length === 0) return;
    const view = this.scoping!.view!;
    const origins = view.origins!;
    const index = new Map(ks.map((k) => [origins.uriOfDoc(k), k]));
    const lists = new Map<number, Finding[]>(ks.map((k) => [k, []]));
    for (const f of lintModel(this.model, this.lintContext, { uris: new Set(index.keys()) }))
      lists.get(index.get(f.ref.uri)!)!.push(origins.mapFinding(f));
    for (const [k, list] of lists) this.objectFindings![k] = list;
  }

  /** A rendered scope's findings, all at once (one virtual file), at their sources. */
  private lintRendered(): void {
    if (this.complete) return;
    const view = this.scoping!.view!;
    const set = new Set(view.sources.map((s) => s.uri));
    const raw = [...lintModel(this.model, this.lintContext, { uris: set })];
    const mapped = view.origins ? raw.map((f) => view.origins!.mapFinding(f)) : raw;
    for (const f of [...view.findings, ...mapped, ...this.configFindings]) {
      let list = this.byFile.get(f.ref.uri);
      if (!list) this.byFile.set(f.ref.uri, (list = []));
      list.push(f);
    }
    this.complete = true;
    this._cx = undefined;
  }

  private lintFiles(uris: string[]): void {
    const set = new Set(uris);
    for (const u of uris) this.byFile.set(u, []);
    // skipped documents show as hints where they are, so the editor says why nothing is analysed there
    const skips: Finding[] = this.model.skipped
      .filter((k) => k.ref && set.has(k.ref.uri))
      .map((k) => ({
        code: 'skipped',
        severity: 'hint',
        message: `NetLens skipped this: ${k.reason}`,
        ref: { ...k.ref!, end: Math.min(k.ref!.end, k.ref!.start + 1) },
      }));
    const config = this.configFindings.filter((f) => set.has(f.ref.uri));
    for (const f of [...lintModel(this.model, this.lintContext, { uris: set }), ...skips, ...config]) this.byFile.get(f.ref.uri)!.push(f);
  }

  /** Every file a finding can be in: the workspace's files and the places the model points at. */
  findingUris(): string[] {
    const all = new Set(this.texts.keys());
    if (this.byObject) {
      const view = this.scoping!.view!;
      all.add(view.origins!.virtualUri);
      for (const f of view.findings) all.add(f.ref.uri);
      for (const f of this.configFindings) all.add(f.ref.uri);
      return [...all].sort();
    }
    for (const f of this.model.findings) all.add(f.ref.uri);
    for (const k of this.model.skipped) if (k.ref) all.add(k.ref.uri);
    for (const f of this.configFindings) all.add(f.ref.uri);
    return [...all].sort();
  }

  text(uri: string): string | undefined {
    const t = this.texts.get(uri);
    if (t !== undefined) return t;
    // a rendered scope read object by object: the whole rendered text, or one object's
    const view = this.scoping?.view;
    if (!view?.objects || !view.origins?.owns(uri)) return undefined;
    if (uri === view.origins.virtualUri) return view.rendered;
    return view.objects.find((o) => o.uri === uri)?.text;
  }

  /** file:line:col of source references in this snapshot's texts (the reports' location format) */
  readonly locator = new Locator(
    (uri) => this.lines(uri),
    undefined,
    (ref) => this.mapRef(ref),
  );

  lines(uri: string): LineIndex {
    let li = this.lineIndexes.get(uri);
    if (!li) {
      li = new LineIndex(this.text(uri) ?? '');
      this.lineIndexes.set(uri, li);
    }
    return li;
  }

  /** Counts by severity (after the user's severity settings) of every finding. */
  static count(findings: Iterable<Finding>, severities: Record<string, string>): FindingCounts {
    const counts = { error: 0, warning: 0, info: 0 };
    for (const f of findings) {
      const sev = severities[f.code] ?? f.severity;
      if (sev === 'error') counts.error++;
      else if (sev === 'warning') counts.warning++;
      else if (sev === 'info' || sev === 'hint') counts.info++;
    }
    return counts;
  }
}
