// Shared, lazily built data for lint rules (so the policy index and DNS records are built once).
import type { Model } from '../model/types';
import { buildPolicyIndex, type PolicyIndex } from '../policy/grants';
import { buildDnsIndex, type DnsIndex } from '../dns/records';
import { clusterDomainOf } from '../dns/clusterDomain';
import { lookup, type FileObjects } from '../model/lookup';
import type { LintScope } from './rules';

export class LintContext {
  private _index?: PolicyIndex;
  private _dns?: DnsIndex;

  constructor(readonly model: Model, index?: PolicyIndex, dns?: DnsIndex) {
    if (index) this._index = index;
    if (dns) this._dns = dns;
  }

  get index(): PolicyIndex {
    return (this._index ??= buildPolicyIndex(this.model));
  }

  /** The objects a rule looks at: those of the scope's file, or all of them. */
  subjects(scope?: LintScope): FileObjects {
    return scope ? lookup(this.model).inFile(scope.uri) : this.model;
  }

  get dns(): DnsIndex {
    return (this._dns ??= buildDnsIndex(this.model, clusterDomainOf(this.model).domain));
  }
}
