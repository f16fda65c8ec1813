// The server's analysis scopes: which scopes the workspace's files (open buffers over disk) form, which
// one is active (the client's choice, else loose, else the first), and that scope's view. Renders are
// cached by content (engine/scopes/renderCache.ts): an edit re-renders only the overlays that read it.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { URI } from 'vscode-uri';
import type { KustomizeFs } from '../engine/kustomize';
import {
  analysable,
  detectScopes,
  KustomizeRenderCache,
  renderedView,
  virtualUriOf,
  type Scope,
  type ScopeFile,
  type ScopeInput,
  type ScopeView,
} from '../engine/scopes';
import { HELM_NOT_RENDERED, kustomizeScopeRender } from '../engine/scopes';

const MAX_READ = 10 * 1024 * 1024;

export interface ActiveScope {
  scopes: Scope[];
  active: Scope;
  /** set for a rendered scope (Kustomize, Helm) */
  view?: ScopeView;
  input: ScopeInput;
}

function pathOf(uri: string): string | undefined {
  try {
    const u = URI.parse(uri);
    return u.scheme === 'file' ? u.fsPath : undefined;
  } catch {
    return undefined;
  }
}

const SCOPE_FILE = /(^|\/)(kustomization\.ya?ml|Kustomization|Chart\.yaml)$/;

export class WorkspaceScopes {
  private readonly cache = new KustomizeRenderCache();
  /** the scope the client chose (an id); kept while it exists */
  requested: string | undefined;
  /** workspace folders (paths): scope ids are relative to them */
  roots: string[] = [];

  /** The scopes and the active one; undefined when no kustomization or chart is there (all files are loose). */
  resolve(texts: ReadonlyMap<string, string>, chartOf: (uri: string) => string | undefined): ActiveScope | undefined {
    if (![...texts.keys()].some((u) => SCOPE_FILE.test(u))) return undefined;
    const files: ScopeFile[] = [];
    const byPath = new Map<string, string>();
    for (const [uri, text] of texts) {
      const path = pathOf(uri);
      if (path === undefined) continue;
      const chart = chartOf(uri);
      files.push({ path, uri, text, ...(chart ? { chart } : {}) });
      byPath.set(path, text);
    }
    const input: ScopeInput = { files, fs: overlayFs(byPath), roots: this.roots, uriOf: (p) => URI.file(p).toString() };
    const scopes = detectScopes(input, this.cache, { helm: false });
    const active =
      scopes.find((s) => s.id === this.requested) ??
      scopes.find((s) => s.kind === 'loose' && analysable(s, false)) ??
      scopes.find((s) => analysable(s, false)) ??
      scopes[0];
    if (active.kind === 'loose') return { scopes, active, input };
    if (active.kind === 'kustomize') {
      const render = kustomizeScopeRender(this.cache.render(input.fs, active.root), input);
      return { scopes, active, input, view: renderedView(active, render, (u) => textOf(texts, input, u)) };
    }
    // Helm: no renderer in the server yet (the lead wires helmRender.ts through the HelmRenderer hook)
    const chartUri = URI.file(`${active.root}/Chart.yaml`).toString();
    return {
      scopes,
      active,
      input,
      view: {
        scope: active,
        sources: [{ uri: virtualUriOf(active.id), text: '' }],
        findings: [
          {
            code: HELM_NOT_RENDERED,
            severity: 'info',
            message: `Helm chart not rendered: no Helm renderer is available, so scope ${active.id} has no objects`,
            ref: { uri: chartUri, start: 0, end: 0 },
          },
        ],
      },
    };
  }
}

function textOf(texts: ReadonlyMap<string, string>, input: ScopeInput, uri: string): string | undefined {
  const t = texts.get(uri);
  if (t !== undefined) return t;
  const p = pathOf(uri);
  return p === undefined ? undefined : input.fs.readFile(p);
}

/** The workspace's texts by path, else the disk (generator inputs, files not walked). */
function overlayFs(byPath: ReadonlyMap<string, string>): KustomizeFs {
  return {
    readFile(p) {
      const t = byPath.get(p);
      if (t !== undefined) return t;
      try {
        const st = statSync(p);
        return st.isFile() && st.size <= MAX_READ ? readFileSync(p, 'utf8') : undefined;
      } catch {
        return undefined;
      }
    },
    listDir(p) {
      try {
        return readdirSync(p);
      } catch {
        return undefined;
      }
    },
    isDir(p) {
      try {
        return statSync(p).isDirectory();
      } catch {
        return false;
      }
    },
  };
}
