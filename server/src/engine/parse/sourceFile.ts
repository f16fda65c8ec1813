// Routes a workspace file to its reader: Corefile, CNI config, or Kubernetes manifests.
import { cniFromConfig, isCniConfigUri } from '../cni/detect';
import { corefileZones } from '../dns/corefile';
import { corefileSource } from '../dns/configSources';
import { parseManifestFile, type ParseOptions, type ParsedFile } from './documents';

export function isCorefileUri(uri: string): boolean {
  return /(^|[/\\])Corefile$/.test(uri);
}

export function parseSourceFile(uri: string, text: string, opts: ParseOptions = {}): ParsedFile {
  if (isCorefileUri(uri)) {
    const { source, findings } = corefileSource(uri, text);
    return { uri, objects: [], skipped: [], findings, corefiles: corefileZones(uri, text), dnsConfigs: [source] };
  }
  if (isCniConfigUri(uri)) {
    const cni = cniFromConfig(uri, text);
    const out: ParsedFile = { uri, objects: [], skipped: [], findings: [] };
    if (cni) out.cni = cni;
    else out.skipped.push({ uri, reason: 'not a CNI network configuration (no plugin type)' });
    return out;
  }
  return parseManifestFile(uri, text, opts);
}
