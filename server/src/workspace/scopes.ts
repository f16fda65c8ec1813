// The server's analysis scopes: which scopes the workspace's files (open buffers over disk) form, which
// one is active (the client's choice, else loose, else the first), and that scope's view. Renders are
// cached by content (engine/scopes/renderCache.ts): an edit re-renders only the overlays that read it.
// Helm charts render asynchronously through the real helm (render/): resolve() stays synchronous, starts
// the render of the active chart scope, and `onRendered` asks for a rebuild when it lands.
import { kustomizeDiskFs } from './kustomizeDiskFs';
import { createHash } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { join, sep } from 'node:path';
import { URI } from 'vscode-uri';
import { fileSystemPath } from './fileUri';
import { OverlayMap } from '../engine/model/overlayMap';
import type { KustomizeFs, RenderResult } from '../engine/kustomize';
import type { Finding } from '../engine/model/types';
import {
  analysable,
  configureScopes,
  detectScopes,
  scopeEntriesFromSetting,
  SCOPE_CONFIG_FILE,
  SCOPE_SETTING_URI,
  type ScopeConfigEntry,
  type ScopeConfigSource,
  isValuesFile,
  LOOSE_SCOPE,
  KustomizeRenderCache,
  renderedView,
  virtualUriOf,
  type Scope,
  type ScopeFile,
  type ScopeInput,
  type ScopeView,
} from '../engine/scopes';
import { kustomizeScopeRender, type HelmRenderer, type ScopeRender } from '../engine/scopes';
import { helmRendererFor, type HelmRendererSettings } from '../render/helmRender';
import { scopeHelmRenderer } from '../render/scopeRenderer';

export interface ActiveScope {
  scopes: Scope[];
  active: Scope;
  /** set for a rendered scope (Kustomize, Helm) */
  view?: ScopeView;
  input: ScopeInput;
  /** what `.netlens.yaml` got wrong: scope-config findings at its lines */
  configFindings: Finding[];
}

const SCOPE_FILE = /(^|\/)(kustomization\.ya?ml|Kustomization|Chart\.yaml)$/;

export class WorkspaceScopes {
  private readonly cache = new KustomizeRenderCache();
  /** the active Kustomize scope's view and the render it shows (kept while the render is) */
  private lastView?: { result: RenderResult; render: ScopeRender; id: string; view: ScopeView; filesKey: object };
  /** the last resolve's files, kept while the index's files are the same (only their texts change) */
  private lastFiles?: ResolvedFiles;
  /** the scope the client chose (an id); kept while it exists */
  requested: string | undefined;
  /** workspace folders (paths): scope ids are relative to them */
  roots: string[] = [];
  /** told when a Helm render lands (the index rebuilds) */
  onRendered: () => void = () => undefined;
  /** told what the netlens.scopes setting got wrong (it has no lines to put a diagnostic on) */
  onSettingProblems: (messages: string[]) => void = () => undefined;
  private setting: ScopeConfigEntry[] = [];
  private settingJson = '[]';
  /** whether the files of the index's last resolve included a kustomization or a chart's file */
  private scopeFiles: boolean | undefined;
  private settingProblems = '';
  private helm: HelmRenderer | undefined;
  private helmSettings = '';
  private trusted = false;
  /** Helm renders by scope id: the content key they were made from and the result (or the render running) */
  private readonly helmRenders = new Map<string, { key: string; render?: ScopeRender }>();

  /**
   * The helm to render charts with: the netlens.helm.path setting, the workspace's trust, the storage
   * folder. A change forgets earlier renders (another helm, or trust given) and returns true.
   */
  configureHelm(s: HelmRendererSettings): boolean {
    const key = JSON.stringify([s.helmPath ?? '', s.trusted, s.cacheDir ?? '']);
    if (key === this.helmSettings) return false;
    this.helmSettings = key;
    this.trusted = s.trusted;
    this.helm = scopeHelmRenderer(helmRendererFor(s), (p) => URI.file(p).toString());
    this.helmRenders.clear();
    return true;
  }

  /**
   * The netlens.scopes setting (entries as in `.netlens.yaml`, applied after it, folders relative to the
   * first workspace folder); malformed entries are left out. Returns whether it changed.
   */
  configureSetting(value: unknown): boolean {
    const json = JSON.stringify(Array.isArray(value) ? value : []);
    if (json === this.settingJson) return false;
    this.settingJson = json;
    this.setting = scopeEntriesFromSetting(value);
    return true;
  }

  /**
   * The scopes and the active one; undefined when no kustomization, chart or scope configuration is there
   * (all files are loose).
   */
  resolve(
    texts: ReadonlyMap<string, string>,
    chartOf: (uri: string) => string | undefined,
    sameFiles?: boolean,
    /** with `sameFiles`: the URIs whose text may have changed since the last call (the rest are the same) */
    changed?: ReadonlySet<string>,
  ): ActiveScope | undefined {
    const configs = this.roots
      .map((root) => ({ root, path: join(root, SCOPE_CONFIG_FILE) }))
      .filter((c) => texts.has(URI.file(c.path).toString()));
    // whether some file is a kustomization or a chart's: the index's builds (`sameFiles` given) know it from
    // their last call while the files are the same
    const scan = () => [...texts.keys()].some((u) => SCOPE_FILE.test(u) || chartOf(u) !== undefined);
    let scopeFiles: boolean;
    if (sameFiles === undefined) scopeFiles = scan();
    else scopeFiles = this.scopeFiles = sameFiles && this.scopeFiles !== undefined ? this.scopeFiles : scan();
    if (!configs.length && !this.setting.length && !scopeFiles) return undefined;
    const { files, byPath, tracked, key, changedPaths } = this.filesOf(texts, chartOf, sameFiles === true, changed);
    const input: ScopeInput = { files, fs: overlayFs(byPath), roots: this.roots, uriOf: (p) => URI.file(p).toString(), filesKey: key };
    // renders and scans are checked once per resolve, against the edited files when the index knows them
    this.cache.session(input.fs, changedPaths ? { changed: changedPaths, tracked: (p) => tracked.has(p) } : undefined);
    // in a trusted workspace a chart's files belong to its scopes; else they stay loose (templates skipped)
    const helm = this.helm !== undefined && this.trusted;
    const sources: ScopeConfigSource[] = configs.map((c) => ({ ...c, text: texts.get(URI.file(c.path).toString()) ?? '' }));
    const setting = this.roots[0] !== undefined ? { entries: this.setting, root: this.roots[0] } : undefined;
    const configured = configureScopes(detectScopes(input, this.cache, { helm }), input, this.cache, sources, setting);
    const scopes = configured.scopes;
    const configFindings = configured.findings.filter((f) => f.ref.uri !== SCOPE_SETTING_URI);
    this.reportSettingProblems(configured.findings.filter((f) => f.ref.uri === SCOPE_SETTING_URI).map((f) => f.message));
    if (scopes.length === 0) {
      // everything hidden: the loose files (none) are what is left
      const none: Scope = { id: LOOSE_SCOPE, kind: 'loose', root: '', files: [] };
      return { scopes: [none], active: none, input, configFindings };
    }
    const active =
      scopes.find((s) => s.id === this.requested) ??
      scopes.find((s) => s.kind === 'loose' && analysable(s, false)) ??
      scopes.find((s) => analysable(s, false)) ??
      scopes[0];
    if (active.kind === 'loose') return { scopes, active, input, configFindings };
    if (active.kind === 'kustomize') {
      const result = this.cache.render(input.fs, active.root);
      // the same render (nothing it read changed): the same view, with the objects it has parsed for mapping
      const last = this.lastView;
      if (last && last.result === result && last.id === active.id) {
        last.view.scope = active;
        return { scopes, active, input, configFindings, view: last.view };
      }
      // the previous render of this scope with the same files: its unchanged objects come over as they are
      const carry = last && last.id === active.id && last.filesKey === key ? last : undefined;
      const render = kustomizeScopeRender(result, input, carry);
      const view = renderedView(active, render, (u) => textOf(texts, input, u), carry);
      this.lastView = { result, render, id: active.id, view, filesKey: key };
      return { scopes, active, input, configFindings, view };
    }
    const render = this.helmRender(active, input);
    const view = render
      ? renderedView(active, render, (u) => textOf(texts, input, u))
      : // rendering: no objects until helm answers (then a rebuild)
        { scope: active, sources: [{ uri: virtualUriOf(active.id), text: '' }], findings: [] };
    return { scopes, active, input, configFindings, view };
  }

  /**
   * The files as the engine sees them (paths, URIs, texts, charts) and their texts by path: from the last
   * resolve's with the changed files' texts when the files are the same and no chart is among them (a
   * chart's Chart.yaml and values files come from the disk at each resolve), else made from all of `texts`.
   */
  private filesOf(
    texts: ReadonlyMap<string, string>,
    chartOf: (uri: string) => string | undefined,
    sameFiles: boolean,
    changed: ReadonlySet<string> | undefined,
  ): ResolvedFiles & { changedPaths?: ReadonlySet<string> } {
    const last = this.lastFiles;
    if (sameFiles && changed && last && !last.charts) {
      const files = last.files.slice();
      const changes = new Map<string, string>();
      const changedPaths = new Set<string>();
      for (const uri of changed) {
        const i = last.at.get(uri);
        const text = texts.get(uri);
        // a document that is not a file (an untitled buffer) is none of the engine's files
        if (i === undefined && text !== undefined && fileSystemPath(uri) === undefined) continue;
        if (i === undefined || text === undefined) return this.allFiles(texts, chartOf);
        files[i] = { ...files[i], text };
        changes.set(files[i].path, text);
        changedPaths.add(files[i].path);
      }
      const next: ResolvedFiles = { ...last, files, byPath: OverlayMap.of(last.byPath, changes) };
      this.lastFiles = next;
      return { ...next, changedPaths };
    }
    return this.allFiles(texts, chartOf);
  }

  private allFiles(texts: ReadonlyMap<string, string>, chartOf: (uri: string) => string | undefined): ResolvedFiles {
    const files: ScopeFile[] = [];
    const byPath = new Map<string, string>();
    const at = new Map<string, number>();
    for (const [uri, text] of texts) {
      const path = fileSystemPath(uri);
      if (path === undefined) continue;
      const chart = chartOf(uri);
      at.set(uri, files.length);
      files.push({ path, uri, text, ...(chart ? { chart } : {}) });
      byPath.set(path, text);
    }
    const tracked = new Set(byPath.keys());
    // the index reads Kubernetes content only: a chart's Chart.yaml and values files come from the disk
    const extra = chartFilesBeside(files, byPath);
    for (const f of extra) files.push(f);
    const out: ResolvedFiles = {
      files,
      byPath,
      at,
      tracked,
      key: {},
      charts: extra.length > 0 || files.some((f) => f.chart !== undefined),
    };
    this.lastFiles = out;
    return out;
  }

  /** Tells the setting's problems once (each rebuild finds them again). */
  private reportSettingProblems(messages: string[]): void {
    const key = messages.join('\n');
    if (key === this.settingProblems) return;
    this.settingProblems = key;
    if (messages.length) this.onSettingProblems(messages);
  }

  /** The chart scope's render for the files' current content, or undefined while helm runs (started here). */
  private helmRender(scope: Scope, input: ScopeInput): ScopeRender | undefined {
    const helm = this.helm;
    if (!helm) return { objects: [], findings: [] };
    const hash = createHash('sha256');
    const byPath = new Map(input.files.map((f) => [f.path, f.text]));
    for (const p of scope.files) hash.update(`${p}\0${byPath.get(p) ?? ''}\0`);
    const key = hash.digest('hex');
    const have = this.helmRenders.get(scope.id);
    if (have?.key === key) return have.render;
    const entry: { key: string; render?: ScopeRender } = { key };
    this.helmRenders.set(scope.id, entry);
    void Promise.resolve()
      .then(() => helm({ scopeId: scope.id, chart: scope.root, ...(scope.values ? { values: scope.values } : {}) }))
      .catch((e: unknown): ScopeRender => ({
        objects: [],
        findings: [
          {
            code: 'helm-error',
            severity: 'error',
            message: `Helm chart not rendered: ${e instanceof Error ? e.message : String(e)}`,
            ref: { uri: URI.file(`${scope.root}/Chart.yaml`).toString(), start: 0, end: 0 },
          },
        ],
      }))
      .then((render) => {
        // a newer render (content or settings changed meanwhile) wins
        if (this.helmRenders.get(scope.id) !== entry) return;
        entry.render = render;
        this.onRendered();
      });
    return undefined;
  }
}

/** A resolve's files (see WorkspaceScopes.filesOf). */
interface ResolvedFiles {
  files: ScopeFile[];
  byPath: ReadonlyMap<string, string>;
  /** each index file's place in `files`, by URI */
  at: ReadonlyMap<string, number>;
  /** the paths of the index's files (their changes are told to resolve) */
  tracked: ReadonlySet<string>;
  /** the same object while the files are the same (ScopeInput.filesKey) */
  key: object;
  /** whether a chart's files are among them */
  charts: boolean;
}

/** The Chart.yaml and values files of the charts whose templates the files include, not among them. */
function chartFilesBeside(files: readonly ScopeFile[], byPath: Map<string, string>): ScopeFile[] {
  const dirs = new Set<string>();
  for (const f of files) {
    if (f.chart === undefined) continue;
    const at = f.path.lastIndexOf(`${sep}templates${sep}`);
    if (at > 0) dirs.add(f.path.slice(0, at));
  }
  const out: ScopeFile[] = [];
  for (const dir of dirs) {
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch {
      continue;
    }
    for (const n of names.filter((x) => x === 'Chart.yaml' || isValuesFile(x)).sort()) {
      const p = join(dir, n);
      if (byPath.has(p)) continue;
      const text = readRegularText(p);
      if (text === undefined) continue;
      byPath.set(p, text);
      out.push({ path: p, uri: URI.file(p).toString(), text });
    }
  }
  return out;
}

function readRegularText(p: string): string | undefined {
  return kustomizeDiskFs.readFile(p);
}

function textOf(texts: ReadonlyMap<string, string>, input: ScopeInput, uri: string): string | undefined {
  const t = texts.get(uri);
  if (t !== undefined) return t;
  const p = fileSystemPath(uri);
  return p === undefined ? undefined : input.fs.readFile(p);
}

/** The workspace's texts by path, else the disk (generator inputs, files not walked). */
function overlayFs(byPath: ReadonlyMap<string, string>): KustomizeFs {
  return {
    ...kustomizeDiskFs,
    readFile: (p) => byPath.get(p) ?? kustomizeDiskFs.readFile(p),
    // a workspace file is no folder: no stat per resource (a render asks it of every resource it lists,
    // and the render cache asks again for each render it checks; a base of 11,000 files made that 11,000
    // stats per check, a quarter of an edit's time on M)
    isDir: (p) => (byPath.has(p) ? false : kustomizeDiskFs.isDir(p)),
  };
}
