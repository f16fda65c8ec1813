// The editor's connectivity diff: the current snapshot (unsaved buffers included) against git HEAD.
// HEAD's model is built like a snapshot's (same scope, same options) and kept while HEAD, the scope
// and the options stay the same; the diff itself is kept per snapshot version.
import { existsSync } from 'node:fs';
import { fileSystemPath } from './fileUri';
import { analyze } from '../engine';
import type { Model, ModelOptions } from '../engine/model/types';
import { diffAnalyses, type ConnectivityDiff } from '../engine/diff';
import { newlyExposed, type Exposure } from '../engine/diff/exposure';
import { policyChangeCounts, type PolicyChangeCounts } from '../engine/diff/policyCounts';
import { parseOptionsForUri } from './charts';
import { GitUnavailable, headCommit, readCommittedTexts } from './gitHead';
import { WorkspaceScopes } from './scopes';
import type { Snapshot } from './snapshot';

export interface ChangesAgainstHead {
  /** HEAD's commit per workspace folder in git */
  commits: string[];
  diff: ConnectivityDiff;
  exposed: Exposure[];
  counts: Map<string, PolicyChangeCounts>;
}
export type ChangesOutcome = { ok: true; changes: ChangesAgainstHead } | { ok: false; reason: string };

/** The model of `texts` in the scope `scopeId`, as the index builds a snapshot's; undefined when HEAD lacks that scope. */
export function modelOfTexts(texts: ReadonlyMap<string, string>, scopeId: string, roots: string[], options: Partial<ModelOptions>): Model {
  const scopes = new WorkspaceScopes();
  scopes.roots = roots;
  scopes.requested = scopeId;
  const scoped = scopes.resolve(texts, (u) => parseOptionsForUri(u).chart);
  if (!scoped || scoped.active.kind === 'loose') {
    const keep = scoped ? new Set(scoped.active.files) : undefined;
    const sources = [...texts]
      .filter(([uri]) => {
        const p = fileSystemPath(uri);
        return !keep || p === undefined || keep.has(p);
      })
      .map(([uri, text]) => ({ uri, text }));
    return analyze(sources, options);
  }
  return analyze(scoped.active.id === scopeId ? (scoped.view?.sources ?? []) : [], options);
}

/** How long an answer for a snapshot is reused before HEAD is looked at again (a commit changes it). */
const REUSE_MS = 2000;

export class WorkspaceChanges {
  private base?: { key: string; model: Model };
  private last?: { snap: Snapshot; key: string; outcome: ChangesOutcome; at: number; trusted: boolean };

  /** Forgets the last answer: HEAD may have moved (the model of a commit stays, keyed by the commit). */
  headMoved(): void {
    this.last = undefined;
  }

  /** Untrusted workspaces get a reason: git follows the repository's configuration, which can run programs. */
  compute(snap: Snapshot, folders: readonly string[], options: Partial<ModelOptions>, trusted: boolean): ChangesOutcome {
    if (!trusted) return { ok: false, reason: 'NetLens reads git HEAD only in a trusted workspace' };
    // the lenses and diagnostics of every open file ask for the same snapshot: one look at HEAD serves them
    if (this.last?.snap === snap && Date.now() - this.last.at < REUSE_MS && this.last.trusted) return this.last.outcome;
    if (folders.length === 0) return { ok: false, reason: 'no workspace folder on disk' };
    const inGit: { folder: string; commit: string }[] = [];
    let why = '';
    for (const folder of folders) {
      try {
        inGit.push({ folder, commit: headCommit(folder) });
      } catch (e) {
        why = e instanceof GitUnavailable ? e.message : String(e);
      }
    }
    if (inGit.length === 0) {
      const outcome: ChangesOutcome = { ok: false, reason: `no git HEAD to compare with (${why || 'not a git repository'})` };
      this.last = { snap, key: '', outcome, at: Date.now(), trusted };
      return outcome;
    }
    const key = JSON.stringify([inGit, snap.activeScope, options]);
    if (this.last && this.last.snap === snap && this.last.key === key) {
      this.last.at = Date.now();
      return this.last.outcome;
    }
    let outcome: ChangesOutcome;
    try {
      const baseModel = this.baseModel(key, inGit, snap, folders, options);
      const diff = diffAnalyses(baseModel, snap.model);
      outcome = {
        ok: true,
        changes: {
          commits: inGit.map((g) => g.commit),
          diff,
          exposed: newlyExposed(baseModel, snap.model),
          counts: policyChangeCounts(diff),
        },
      };
    } catch (e) {
      if (!(e instanceof GitUnavailable)) throw e;
      outcome = { ok: false, reason: e.message };
    }
    this.last = { snap, key, outcome, at: Date.now(), trusted };
    return outcome;
  }

  private baseModel(
    key: string,
    inGit: { folder: string; commit: string }[],
    snap: Snapshot,
    folders: readonly string[],
    options: Partial<ModelOptions>,
  ): Model {
    if (this.base?.key === key) return this.base.model;
    const texts = new Map<string, string>();
    for (const { folder, commit } of inGit)
      for (const [uri, text] of readCommittedTexts(folder, commit)) {
        // a file on disk the index leaves out (files.exclude, too large) is left out of HEAD too
        const p = fileSystemPath(uri);
        if (snap.text(uri) === undefined && p !== undefined && existsSync(p)) continue;
        texts.set(uri, text);
      }
    const model = modelOfTexts(
      new Map([...texts].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))),
      snap.activeScope,
      [...folders],
      options,
    );
    this.base = { key, model };
    return model;
  }
}
