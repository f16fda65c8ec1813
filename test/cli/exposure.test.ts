// `netlens matrix --exposure` against np-guard's documented exposure examples (netpol-analyzer's
// docs/exposure_analysis.md and its test outputs), rebuilt as our own fixtures: the same lines, in
// the same vocabulary, so users can compare.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fixturePath, runCli } from '../support/paths';

const exposureLines = (out: string) =>
  out
    .slice(out.indexOf('Exposure Analysis Result:'))
    .split('\n')
    .map((l) => l.replace(/\s+/g, ' ').trim())
    .filter(Boolean);

test('the minimal example: frontend exposed to the entire cluster and every address, backend to the entire cluster', () => {
  const r = runCli(['matrix', '--format', 'text', '--exposure', fixturePath('exposure', 'minimal')]);
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(exposureLines(r.stdout), [
    'Exposure Analysis Result:',
    'Egress Exposure:',
    'default/frontend[Deployment] => 0.0.0.0-255.255.255.255 : UDP 53',
    'default/frontend[Deployment] => entire-cluster : UDP 53',
    'Ingress Exposure:',
    'default/backend[Deployment] <= entire-cluster : TCP 9090',
    'default/frontend[Deployment] <= 0.0.0.0-255.255.255.255 : TCP 8080',
    'default/frontend[Deployment] <= entire-cluster : TCP 8080',
  ]);
});

test('representative peers: namespaces with labels, pods with labels in any namespace, a selector matching nothing; unprotected egress', () => {
  const r = runCli(['matrix', '--format', 'text', '--exposure', fixturePath('exposure', 'representative')]);
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(exposureLines(r.stdout), [
    'Exposure Analysis Result:',
    'Egress Exposure:',
    'hello-world/workload-a[Deployment] => 0.0.0.0-255.255.255.255 : All Connections',
    'hello-world/workload-a[Deployment] => entire-cluster : All Connections',
    'Ingress Exposure:',
    'hello-world/workload-a[Deployment] <= [all namespaces]/[pod with {role=scraper}] : TCP 9100',
    'hello-world/workload-a[Deployment] <= [namespace with {effect=NoSchedule}]/[pod with {role=monitoring}] : TCP 8050',
    'hello-world/workload-a[Deployment] <= hello-world/[pod with {app=nothing-here}] : All Connections',
    'Workloads not protected by network policies:',
    'hello-world/workload-a[Deployment] is not protected on Egress',
  ]);
});

test('--exposure in JSON and Markdown; refused with formats that cannot hold it', () => {
  const j = runCli(['matrix', '--exposure', fixturePath('exposure', 'representative')]);
  const exposure = JSON.parse(j.stdout).exposure as { items: { peer: string; kind: string }[]; unprotected: { direction: string }[] };
  assert.ok(exposure.items.some((i) => i.kind === 'representative' && i.peer.startsWith('[namespace with')));
  assert.deepEqual(exposure.unprotected, [{ workload: 'hello-world/workload-a[Deployment]', direction: 'Egress' }]);
  const md = runCli(['matrix', '--format', 'md', '--exposure', fixturePath('exposure', 'minimal')]);
  assert.match(md.stdout, /### Ingress Exposure:\n\| dst \| src \| conn \|/);
  assert.equal(runCli(['matrix', '--format', 'csv', '--exposure', fixturePath('exposure', 'minimal')]).status, 2);
});
