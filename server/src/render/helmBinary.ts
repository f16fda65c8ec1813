// Which helm to run: the `netlens.helm.path` setting (CLI: --helm), else the first `helm` on PATH; and
// its version, which is part of the render cache key (another helm may render the same chart differently).
import { statSync } from 'node:fs';
import path from 'node:path';
import { runBounded } from './runBounded';

export const HELM_PATH_SETTING = 'netlens.helm.path';

export type HelmLookup = { ok: true; path: string } | { ok: false; message: string };

function isExecutableFile(p: string): boolean {
  try {
    const st = statSync(p);
    // on Windows every file is "executable"; elsewhere some x bit must be set
    return st.isFile() && (process.platform === 'win32' || (st.mode & 0o111) !== 0);
  } catch {
    return false;
  }
}

/** The helm binary to run, or why there is none (the message names the setting). */
export function findHelm(configured: string | undefined, env: NodeJS.ProcessEnv = process.env): HelmLookup {
  const setting = configured?.trim();
  if (setting) {
    if (isExecutableFile(setting)) return { ok: true, path: path.resolve(setting) };
    return {
      ok: false,
      message: `helm was not found at "${setting}" (the ${HELM_PATH_SETTING} setting, or --helm on the command line): set it to the helm executable`,
    };
  }
  const names = process.platform === 'win32' ? ['helm.exe', 'helm.cmd', 'helm.bat', 'helm'] : ['helm'];
  for (const dir of (env.PATH ?? env.Path ?? '').split(path.delimiter)) {
    if (!dir) continue;
    for (const n of names) if (isExecutableFile(path.join(dir, n))) return { ok: true, path: path.join(dir, n) };
  }
  return {
    ok: false,
    message: `helm was not found on PATH: install helm (https://helm.sh/docs/intro/install/) or set ${HELM_PATH_SETTING} (--helm on the command line) to its path; Helm charts are not rendered until then`,
  };
}

const versions = new Map<string, Promise<string | undefined>>();

/** `helm version --short` (e.g. "v3.17.2+gcc0bbbd"), remembered per binary and its size and modification time. */
export function helmVersion(helm: string, env: NodeJS.ProcessEnv): Promise<string | undefined> {
  let stamp = '';
  try {
    const st = statSync(helm);
    stamp = `${st.size}:${st.mtimeMs}`;
  } catch {
    return Promise.resolve(undefined);
  }
  const key = `${helm}\0${stamp}`;
  let v = versions.get(key);
  if (!v) {
    v = runBounded(helm, ['version', '--short'], { timeoutMs: 10_000, maxOutputBytes: 64 * 1024, env }).then((r) =>
      r.status === 0 && r.stdout.trim() ? r.stdout.trim() : undefined,
    );
    versions.set(key, v);
    // a failed probe is not remembered: the next render asks again
    void v.then((got) => {
      if (got === undefined) versions.delete(key);
    });
  }
  return v;
}
