// The diff resolves every name pods use with DNS searches shared per (resolv.conf, name)
// (resolveName's SearchCache): each query's result, steps and notes included, equals the unshared one.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { generate } from '../bench/generate';
import { analyze } from '../../server/src/engine';
import { namesUsed } from '../../server/src/engine/diff/names';
import { buildDnsIndex } from '../../server/src/engine/dns/records';
import { clusterDomainOf } from '../../server/src/engine/dns/clusterDomain';
import { runQuery } from '../../server/src/engine/reachability/query';
import type { SearchCache } from '../../server/src/engine/dns/resolve';

test('name queries with shared DNS searches equal unshared ones (generated workspace S)', () => {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'netlens-name-searches-'));
  try {
    const g = generate('S', 42, tmp);
    const model = analyze(g.files.filter((f) => /\.ya?ml$/.test(f)).map((f) => ({ uri: f, text: readFileSync(f, 'utf8') })));
    const dns = buildDnsIndex(model, clusterDomainOf(model).domain);
    const searches: SearchCache = new Map();
    const uses = [...namesUsed(model).values()];
    assert.ok(uses.length > 50, `${uses.length} names used`);
    // a name that does not resolve, and one from a pod of another namespace, too
    uses.push({ ...uses[0], host: 'no-such-service' }, { ...uses[uses.length - 1], host: uses[0].host });
    for (const u of uses) {
      const q = { from: u.workload, to: u.host, protocol: 'TCP' as const, ...(u.port ? { port: u.port } : {}) };
      assert.deepEqual(runQuery(model, dns, { ...q, searches }), runQuery(model, dns, q), `${u.workload.id} -> ${u.host}`);
    }
    assert.ok(searches.size < uses.length, `${searches.size} searches for ${uses.length} names`);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});
