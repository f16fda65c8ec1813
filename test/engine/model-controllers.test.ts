// Labels that controllers put on pods (StatefulSet ordinals, Job names, unknown-value hashes) and
// pods that operators make (prometheus-operator): selectors, Services, DNS and queries see them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyze } from '../../server/src/engine';
import { lintModel } from '../../server/src/engine/lint';
import { explainPair } from '../../server/src/engine/reachability/explain';
import { runQuery } from '../../server/src/engine/reachability/query';
import { buildDnsIndex } from '../../server/src/engine/dns/records';
import { serviceEndpoints } from '../../server/src/engine/dns/endpoints';
import { contains, isAll, isEmpty } from '../../server/src/engine/net/ports';
import { UNKNOWN_LABEL_VALUE, writtenLabels } from '../../server/src/engine/model/controllerLabels';
import { selectedWorkloads, peerWorkloads, policySelects, peerMatches } from '../../server/src/engine/policy/semantics';
import type { Model } from '../../server/src/engine/model/types';
import { fixtureSources } from '../support/paths';

const load = (...parts: string[]) => analyze(fixtureSources(...parts));
const byId = (m: Model, id: string) => {
  const w = m.workloads.find((x) => x.id === id);
  assert.ok(w, `workload ${id} in ${m.workloads.map((x) => x.id).join(', ')}`);
  return w;
};
const ids = (ws: readonly { id: string }[]) => ws.map((w) => w.id).sort();

test('a selector on the pod name splits the StatefulSet into one workload per existing ordinal', () => {
  const m = load('controllers', 'statefulset-ordinals.yaml');
  assert.deepEqual(ids(m.workloads), [
    'data/client[Pod]',
    'data/web[StatefulSet]/web-0',
    'data/web[StatefulSet]/web-1',
    'data/web[StatefulSet]/web-2',
  ]);
  const web0 = byId(m, 'data/web[StatefulSet]/web-0');
  assert.equal(web0.labels['statefulset.kubernetes.io/pod-name'], 'web-0');
  assert.equal(web0.labels['apps.kubernetes.io/pod-index'], '0');
  assert.deepEqual(writtenLabels(web0), { app: 'web' }, 'controller labels are not shown as written');
  const primary = m.services.find((s) => s.name === 'web-primary')!;
  assert.deepEqual(ids(serviceEndpoints(m, primary)), ['data/web[StatefulSet]/web-0'], 'the Service selects only web-0');
  // pod-index 0 is isolated by both policies; web-1 only by the first
  const pol = m.policies.find((p) => p.name === 'replicas-talk-to-primary')!;
  assert.deepEqual(ids(selectedWorkloads(m, pol)), ['data/web[StatefulSet]/web-0']);
  const web1 = byId(m, 'data/web[StatefulSet]/web-1');
  assert.ok(!isEmpty(explainPair(m, web1, web0).allowed), 'web-1 reaches web-0 (replicas-talk-to-primary)');
  assert.ok(isEmpty(explainPair(m, web0, web1).allowed), 'web-0 does not reach web-1 (only clients on 80)');
});

test('headless StatefulSet DNS records follow the per-ordinal pods, only for existing ordinals', () => {
  const m = load('controllers', 'statefulset-ordinals.yaml');
  const dns = buildDnsIndex(m, 'cluster.local');
  for (const i of [0, 1, 2])
    assert.deepEqual(dns.lookup(`web-${i}.web.data.svc.cluster.local`)?.endpoints, [`data/web[StatefulSet]/web-${i}`]);
  assert.equal(dns.lookup('web-3.web.data.svc.cluster.local'), undefined, 'replicas: 3 has no web-3');
  assert.deepEqual(
    [...(dns.lookup('web.data.svc.cluster.local')?.endpoints ?? [])].sort(),
    [0, 1, 2].map((i) => `data/web[StatefulSet]/web-${i}`),
  );
  const client = byId(m, 'data/client[Pod]');
  const q = runQuery(m, dns, { from: client, to: 'web-primary', port: 80, protocol: 'TCP' });
  assert.equal(q.outcome, 'allowed');
  assert.deepEqual(
    q.targets.map((t) => t.workload.id),
    ['data/web[StatefulSet]/web-0'],
  );
});

test('replicas absent: one pod, ordinal 0; a StatefulSet no selector tells apart keeps its id', () => {
  const m = load('controllers', 'statefulset-plain.yaml');
  assert.deepEqual(ids(m.workloads), ['data/cache[StatefulSet]', 'data/queue[StatefulSet]']);
  const cache = byId(m, 'data/cache[StatefulSet]');
  assert.equal(cache.labels['statefulset.kubernetes.io/pod-name'], 'cache-0');
  const p = m.policies[0];
  assert.ok(policySelects(p, cache, m), 'pod-name: cache-0 selects the single pod');
  const peer = p.ingress[0].peers![0];
  assert.deepEqual(
    ids(peerWorkloads(m, peer, 'data')),
    ['data/cache[StatefulSet]', 'data/queue[StatefulSet]'],
    'Exists on pod-name matches every StatefulSet pod',
  );
  assert.ok(peerMatches(peer, 'data', byId(m, 'data/queue[StatefulSet]'), m));
  const dns = buildDnsIndex(m, 'cluster.local');
  assert.deepEqual(dns.lookup('cache-0.cache.data.svc.cluster.local')?.endpoints, ['data/cache[StatefulSet]']);
  assert.equal(dns.lookup('cache-1.cache.data.svc.cluster.local'), undefined);
  assert.deepEqual(
    lintModel(m).map((f) => f.code),
    [],
  );
});

test('Job pods carry their job name; CronJob and Deployment labels exist with an unknown value', () => {
  const m = load('controllers', 'jobs.yaml');
  const job = byId(m, 'app/migrate[Job]');
  assert.equal(job.labels['batch.kubernetes.io/job-name'], 'migrate');
  assert.equal(job.labels['job-name'], 'migrate');
  assert.equal(job.labels['controller-uid'], UNKNOWN_LABEL_VALUE);
  const cron = byId(m, 'app/backup[CronJob]');
  assert.equal(cron.labels['job-name'], UNKNOWN_LABEL_VALUE);
  assert.equal(byId(m, 'app/api[Deployment]').labels['pod-template-hash'], UNKNOWN_LABEL_VALUE);
  const db = byId(m, 'app/db[Pod]');
  const api = byId(m, 'app/api[Deployment]');
  assert.ok(isAll(explainPair(m, job, db).allowed), 'the Job is admitted by job-name');
  assert.ok(isEmpty(explainPair(m, cron, db).allowed), 'a CronJob pod never equals a written job-name');
  assert.ok(contains(explainPair(m, api, db).allowed, 'TCP', 5432), 'Exists on pod-template-hash matches the Deployment');
  assert.ok(!contains(explainPair(m, cron, db).allowed, 'TCP', 5432), 'and not the CronJob');
});

test('label-value-unknown: a selector on a CronJob job-name says why instead of "matches nothing"', () => {
  const m = load('controllers', 'jobs.yaml');
  const findings = lintModel(m);
  const unknown = findings.filter((f) => f.code === 'label-value-unknown');
  assert.equal(unknown.length, 1, JSON.stringify(findings.map((f) => f.message)));
  assert.match(unknown[0].message, /^job-name is set by the CronJob controller .*only known in a cluster.*differ from "backup-28000000"/);
  assert.ok(!findings.some((f) => f.code === 'peer-matches-nothing'), 'no peer-matches-nothing for it');
});

test('prometheus-operator objects become StatefulSets with the operator labels, ports and governing Services', () => {
  const m = load('operators', 'monitoring.yaml');
  assert.deepEqual(ids(m.workloads), [
    'mon/alertmanager-main[StatefulSet]',
    'mon/dashboards[Deployment]',
    'mon/prometheus-main[StatefulSet]',
    'mon/thanos-ruler-rules[StatefulSet]',
  ]);
  const prom = byId(m, 'mon/prometheus-main[StatefulSet]');
  assert.deepEqual(writtenLabels(prom), {
    'app.kubernetes.io/version': '2.54.1',
    team: 'obs',
    'app.kubernetes.io/managed-by': 'prometheus-operator',
    'app.kubernetes.io/name': 'prometheus',
    'app.kubernetes.io/instance': 'main',
    'operator.prometheus.io/name': 'main',
    'operator.prometheus.io/shard': '0',
    prometheus: 'main',
  });
  assert.equal(prom.replicas, 2);
  assert.equal(prom.serviceName, 'prometheus-operated');
  const ports = (id: string) =>
    byId(m, id)
      .containers.flatMap((c) => c.ports.map((p) => `${p.name}/${p.protocol}/${p.port}`))
      .sort();
  assert.deepEqual(ports('mon/prometheus-main[StatefulSet]'), [
    'grpc/TCP/10901',
    'http/TCP/10902',
    'reloader-web/TCP/8080',
    'web/TCP/9090',
  ]);
  assert.deepEqual(ports('mon/alertmanager-main[StatefulSet]'), [
    'mesh-tcp/TCP/9094',
    'mesh-udp/UDP/9094',
    'reloader-web/TCP/8080',
    'web/TCP/9093',
  ]);
  assert.deepEqual(ports('mon/thanos-ruler-rules[StatefulSet]'), ['grpc/TCP/10901', 'http/TCP/10902', 'reloader-web/TCP/8080']);
  const am = byId(m, 'mon/alertmanager-main[StatefulSet]');
  assert.equal(am.replicas, 1, 'replicas defaults to 1');
  assert.equal(am.labels.alertmanager, 'main');
  assert.equal(am.labels['app.kubernetes.io/version'], UNKNOWN_LABEL_VALUE, 'no spec.version: the operator default, unknown here');
  assert.deepEqual(m.services.map((s) => `${s.id} ${s.headless}`).sort(), [
    'mon/alertmanager-operated[Service] true',
    'mon/prometheus-operated[Service] true',
    'mon/prometheus[Service] false',
    'mon/thanos-ruler-operated[Service] true',
  ]);
  const dns = buildDnsIndex(m, 'cluster.local');
  assert.deepEqual(dns.lookup('prometheus-main-1.prometheus-operated.mon.svc.cluster.local')?.endpoints, [
    'mon/prometheus-main[StatefulSet]',
  ]);
  assert.equal(dns.lookup('prometheus-main-2.prometheus-operated.mon.svc.cluster.local'), undefined);
  assert.deepEqual(dns.lookup('alertmanager-main-0.alertmanager-operated.mon.svc.cluster.local')?.endpoints, [
    'mon/alertmanager-main[StatefulSet]',
  ]);
  assert.deepEqual(
    lintModel(m).map((f) => f.code),
    [],
  );
});

test('the dashboards reach Prometheus on 9090 through its policy; other ports stay closed', () => {
  const m = load('operators', 'monitoring.yaml');
  const dns = buildDnsIndex(m, 'cluster.local');
  const from = byId(m, 'mon/dashboards[Deployment]');
  const q = runQuery(m, dns, { from, to: 'prometheus.mon', port: 9090, protocol: 'TCP' });
  assert.equal(q.outcome, 'allowed');
  assert.deepEqual(
    q.targets.map((t) => t.workload.id),
    ['mon/prometheus-main[StatefulSet]'],
  );
  assert.ok(q.steps.some((s) => s.kind === 'ingress' && s.text.includes('mon/prometheus[NetworkPolicy]')));
  const grpc = runQuery(m, dns, { from, to: 'prometheus-operated.mon', port: 10901, protocol: 'TCP' });
  assert.equal(grpc.outcome, 'blocked');
});

test('a declared StatefulSet of the operator-made name wins, without a duplicate finding', () => {
  const text = fixtureSources('operators', 'monitoring.yaml')[0].text;
  const declared = [
    'apiVersion: apps/v1',
    'kind: StatefulSet',
    'metadata: {name: prometheus-main, namespace: mon}',
    'spec:',
    '  replicas: 5',
    '  template:',
    '    metadata: {labels: {app.kubernetes.io/name: prometheus, team: obs}}',
    '    spec: {containers: [{name: p, image: prom, ports: [{name: web, containerPort: 9090}]}]}',
  ].join('\n');
  const m = analyze([
    { uri: 'a.yaml', text },
    { uri: 'b.yaml', text: declared },
  ]);
  assert.equal(byId(m, 'mon/prometheus-main[StatefulSet]').replicas, 5);
  assert.ok(!m.findings.some((f) => f.code === 'duplicate-object'));
  assert.equal(m.workloads.filter((w) => w.name === 'prometheus-main').length, 1);
});
