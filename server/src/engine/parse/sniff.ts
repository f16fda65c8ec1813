// A cheap look at the head of a file: does it hold Kubernetes content (manifests, a Corefile, a CNI
// config)? The language server reads only such files, so a repository whose YAML is CI workflows or
// docker-compose files costs a few KB per file and shows nothing.
import { isCniConfigUri } from '../cni/detect';
import { isCorefileUri } from './sourceFile';

/** How much of a file the sniff reads. */
export const SNIFF_BYTES = 8 * 1024;

// `apiVersion:` and `kind:` keys at the start of a line, also as items of a list (`kubectl get -o yaml`
// puts the List's own `kind` after all its items) or quoted (JSON, flow YAML).
const API_VERSION = /^[ \t-]*["']?apiVersion["']?[ \t]*:/m;
const KIND = /^[ \t-]*["']?kind["']?[ \t]*:/m;
const JSON_API_VERSION = /"apiVersion"\s*:/;
const JSON_KIND = /"kind"\s*:/;
const CNI_TYPE = /"(type|plugins)"\s*:/;

/** Whether a file (its uri or path, and the first SNIFF_BYTES or more of its text) looks like Kubernetes content. */
export function looksLikeKubernetes(uri: string, head: string): boolean {
  if (isCorefileUri(uri)) return true;
  const text = (head.length > SNIFF_BYTES ? head.slice(0, SNIFF_BYTES) : head).replace(/^\uFEFF/, '');
  if (isCniConfigUri(uri)) return CNI_TYPE.test(text);
  return (API_VERSION.test(text) && KIND.test(text)) || (JSON_API_VERSION.test(text) && JSON_KIND.test(text));
}
