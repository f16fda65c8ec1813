// The CNI plugin in effect: the setting wins; else the lexicographically first CNI config file
// (as the container runtime picks it); else an install manifest of a plugin.
import type { CniInfo, Model } from '../model/types';
import { cniFromSetting } from './detect';

export function effectiveCni(model: Model): CniInfo | undefined {
  if (model.options.cni) return cniFromSetting(model.options.cni);
  const configs = model.cniHints
    .filter((h) => h.origin === 'cni-config')
    .sort((a, b) => (baseName(a.ref?.uri ?? '') < baseName(b.ref?.uri ?? '') ? -1 : 1));
  if (configs.length) return configs[0];
  const manifests = model.cniHints.filter((h) => h.origin === 'manifest');
  return manifests.find((h) => h.enforcesPolicy) ?? manifests[0];
}

function baseName(uri: string): string {
  return uri.slice(Math.max(uri.lastIndexOf('/'), uri.lastIndexOf('\\')) + 1);
}
