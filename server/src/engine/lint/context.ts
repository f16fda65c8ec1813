// Shared, lazily built data for lint rules (so the DNS records are built once per model), and
// what a lint run looks at.
import type { Model } from '../model/types';
import { buildDnsIndex, type DnsIndex } from '../dns/records';
import { clusterDomainOf } from '../dns/clusterDomain';
import { lookup, type FileObjects } from '../model/lookup';
import type { LintScope } from './rules';

export class LintContext {
  private _dns?: DnsIndex;
  private lastScope?: { scope: LintScope; objects: FileObjects };

  constructor(readonly model: Model, dns?: DnsIndex) {
    if (dns) this._dns = dns;
  }

  /** The objects a rule looks at: those of the scope's files, or all of them. */
  subjects(scope?: LintScope): FileObjects {
    if (!scope) return this.model;
    // every rule asks for the same scope's objects
    if (this.lastScope?.scope !== scope) this.lastScope = { scope, objects: lookup(this.model).inFiles(scope.uris) };
    return this.lastScope.objects;
  }

  get dns(): DnsIndex {
    return (this._dns ??= buildDnsIndex(this.model, clusterDomainOf(this.model).domain));
  }
}
