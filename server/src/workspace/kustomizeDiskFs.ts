// The Kustomize renderer's view of the disk (regular files up to a size, directories), shared by the
// language server, the CLI and the tests; a workspace overlays its own texts on it.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import type { KustomizeFs } from '../engine/kustomize';

/** Kustomize inputs larger than this are not read (a kustomization, patch or generator input is small). */
export const KUSTOMIZE_MAX_READ = 10 * 1024 * 1024;

export const kustomizeDiskFs: KustomizeFs = {
  readFile(p) {
    try {
      const st = statSync(p);
      return st.isFile() && st.size <= KUSTOMIZE_MAX_READ ? readFileSync(p, 'utf8') : undefined;
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
