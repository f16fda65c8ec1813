// The cluster domain: from a Corefile in the workspace, else the setting, else cluster.local.
import type { ClusterDomainSource, Model } from '../model/types';

export function clusterDomainOf(model: Model): ClusterDomainSource {
  const fromCorefile = model.corefiles[0];
  if (fromCorefile) return { domain: fromCorefile.zone, origin: 'corefile', ref: fromCorefile.ref };
  if (model.options.clusterDomain) return { domain: model.options.clusterDomain.replace(/\.$/, ''), origin: 'setting' };
  return { domain: 'cluster.local', origin: 'default' };
}
