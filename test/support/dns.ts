// Loads a DNS fixture folder into a model with its DNS index, and resolves names as its pods would.
import assert from 'node:assert/strict';
import { analyze } from '../../server/src/engine';
import type { ModelOptions, Workload } from '../../server/src/engine/model/types';
import { clusterDomainOf } from '../../server/src/engine/dns/clusterDomain';
import { buildDnsIndex } from '../../server/src/engine/dns/records';
import { resolveName } from '../../server/src/engine/dns/resolve';
import { resolvConf } from '../../server/src/engine/dns/resolvConf';
import { fixtureSources } from './paths';

export function dnsFixture(name: string, options: Partial<ModelOptions> = {}) {
  const model = analyze(fixtureSources('dns', name), options);
  const domain = clusterDomainOf(model);
  const index = buildDnsIndex(model, domain.domain);
  const workload = (id: string): Workload =>
    model.workloads.find((w) => w.id === id) ?? assert.fail(`no workload ${id}; have ${model.workloads.map((w) => w.id).join(', ')}`);
  return {
    model,
    domain,
    index,
    workload,
    conf: (id: string) => resolvConf(workload(id), model, domain.domain),
    resolve: (from: string, query: string) => resolveName(model, index, workload(from), query),
  };
}
