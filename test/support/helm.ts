// The real helm binary for the Helm rendering tests: $HELM, where scripts/tools/install-helm.sh caches
// it, or PATH. Without one those tests skip and say so, unless NETLENS_REQUIRE_HELM=1 (.ci/run), where they fail.
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const HELM_INSTALL_SCRIPT = 'scripts/tools/install-helm.sh';

export function findTestHelm(): string | undefined {
  const cache = path.join(process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'netlens-tools', 'helm', 'helm');
  for (const c of [process.env.HELM, cache]) if (c && existsSync(c)) return c;
  for (const dir of (process.env.PATH ?? '').split(path.delimiter))
    if (dir && existsSync(path.join(dir, 'helm'))) return path.join(dir, 'helm');
  return undefined;
}

/** `{ skip }` for node:test: false with helm; a reason without (never when NETLENS_REQUIRE_HELM=1: the test then fails). */
export function helmTestGate(testFile: string): { helm: string | undefined; skip: false | string } {
  const helm = findTestHelm();
  const required = process.env.NETLENS_REQUIRE_HELM === '1';
  const reason = helm ? false : `helm is not installed (bash ${HELM_INSTALL_SCRIPT}): the tests that run helm did NOT run`;
  if (reason && !required) console.warn(`${testFile}: ${reason}`);
  return { helm, skip: required ? false : reason };
}
