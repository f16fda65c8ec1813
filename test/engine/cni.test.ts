// CNI detection: the plugin from its network config (.conflist) or its install manifest's
// DaemonSet, and whether it enforces NetworkPolicy.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyze } from '../../server/src/engine';
import { fixtureSources } from '../support/paths';
import { cniEvidence, effectiveCni } from '../../server/src/engine/cni/effective';
import { lintModel } from '../../server/src/engine/lint';
import { runQuery } from '../../server/src/engine/reachability/query';
import { buildDnsIndex } from '../../server/src/engine/dns/records';

function hints(...parts: string[]) {
  return analyze(fixtureSources('cni', ...parts)).cniHints.map((h) => ({
    plugin: h.plugin,
    enforces: h.enforcesPolicy,
    origin: h.origin,
    file: h.ref?.uri.split('/').pop(),
  }));
}

test('plugin and enforcement from each .conflist', () => {
  const got = Object.fromEntries(hints('conflist').map((h) => [h.file, [h.plugin, h.enforces, h.origin]]));
  assert.deepEqual(got, {
    '05-cilium.conflist': ['cilium', true, 'cni-config'],
    '10-antrea.conflist': ['antrea', true, 'cni-config'],
    '10-calico.conflist': ['calico', true, 'cni-config'],
    // flannel handing the pod network to calico (canal): calico enforces
    '10-canal.conflist': ['canal', true, 'cni-config'],
    '10-flannel.conflist': ['flannel', false, 'cni-config'],
    '10-weave.conflist': ['weave', true, 'cni-config'],
    '87-podman-bridge.conflist': ['bridge', false, 'cni-config'],
  });
});

test('plugin and enforcement from install-manifest DaemonSets', () => {
  const got = Object.fromEntries(hints('manifests').map((h) => [h.file, [h.plugin, h.enforces, h.origin]]));
  assert.deepEqual(got, {
    'antrea-agent.yaml': ['antrea', true, 'manifest'],
    'calico-node.yaml': ['calico', true, 'manifest'],
    'cilium.yaml': ['cilium', true, 'manifest'],
    'kube-flannel-ds.yaml': ['flannel', false, 'manifest'],
    'kube-router.yaml': ['kube-router', true, 'manifest'],
    'weave-net.yaml': ['weave', true, 'manifest'],
  });
});

test('chains: calico with flannel is canal; cilium chained behind another CNI enforces', () => {
  const chain = (types: string[]) =>
    analyze([{ uri: 'x.conflist', text: JSON.stringify({ cniVersion: '0.3.1', name: 'n', plugins: types.map((type) => ({ type })) }) }])
      .cniHints;
  assert.deepEqual(
    chain(['flannel', 'calico', 'portmap']).map((h) => [h.plugin, h.enforcesPolicy]),
    [['canal', true]],
  );
  assert.deepEqual(
    chain(['aws-cni', 'cilium-cni']).map((h) => [h.plugin, h.enforcesPolicy]),
    [['cilium', true]],
  );
  assert.deepEqual(chain(['portmap', 'bandwidth']), [], 'only chained helpers: no plugin');
});

test('a single-plugin .conf and files that are not CNI configs', () => {
  const m = analyze([
    { uri: '10-bridge.conf', text: '{"cniVersion": "0.3.1", "name": "mynet", "type": "bridge", "bridge": "cni0"}' },
    { uri: 'nginx.conf', text: 'server { listen 80; }' },
  ]);
  assert.deepEqual(
    m.cniHints.map((h) => [h.plugin, h.enforcesPolicy]),
    [['bridge', false]],
  );
  assert.deepEqual(
    m.skipped.map((s) => s.uri),
    ['nginx.conf'],
  );
});

test('enforcement is per install: each install fixture decides by its containers and settings', () => {
  const cases: Record<string, [string, boolean, RegExp]> = {
    'weave-without-npc': ['weave', false, /^weave-net DaemonSet without the weave-npc container \(kube-system\/weave-net\)$/],
    'weave-with-npc': ['weave', true, /^weave-net DaemonSet with the weave-npc container/],
    'canal-daemonset': ['canal', true, /^canal DaemonSet with calico-node and flannel containers/],
    'calico-beside-flannel': ['canal', true, /^calico-node DaemonSet beside flannel's kube-flannel\/kube-flannel-ds DaemonSet/],
    'flannel-only': ['flannel', false, /^kube-flannel-ds DaemonSet \(flannel alone/],
    'cilium-never': ['cilium', false, /^cilium-config ConfigMap with enable-policy: never \(kube-system\/cilium-config\)$/],
    'cilium-always': ['cilium', true, /^cilium DaemonSet, cilium-config ConfigMap with enable-policy: always/],
  };
  for (const [dir, [plugin, enforces, evidence]] of Object.entries(cases)) {
    const cni = effectiveCni(analyze(fixtureSources('cni', 'installs', dir)));
    assert.ok(cni, dir);
    assert.equal(cni.plugin, plugin, dir);
    assert.equal(cni.enforcesPolicy, enforces, dir);
    assert.match(cniEvidence(cni), evidence, dir);
  }
});

test('cni-not-enforcing and query verdicts name the install evidence', () => {
  const model = analyze(fixtureSources('cni', 'installs', 'weave-without-npc'));
  const f = lintModel(model).find((x) => x.code === 'cni-not-enforcing');
  assert.ok(f);
  assert.match(f.message, /weave-net DaemonSet without the weave-npc container \(kube-system\/weave-net\)/);
  assert.match(f.ref.uri, /weave-without-npc\/install\.yaml$/);
  const q = runQuery(model, buildDnsIndex(model, 'cluster.local'), {
    from: model.workloads.find((w) => w.id === 'app/a[Pod]')!,
    to: 'app/b[Pod]',
    protocol: 'TCP',
    port: 80,
  });
  assert.equal(q.outcome, 'blocked');
  const last = q.steps[q.steps.length - 1];
  assert.match(last.text, /^network plugin weave does not enforce NetworkPolicy: weave-net DaemonSet without the weave-npc container/);
  assert.equal(last.ref?.uri, f.ref.uri);
  // with the controller installed, no finding, and the verdict says it enforces
  const withNpc = analyze(fixtureSources('cni', 'installs', 'weave-with-npc'));
  assert.ok(!lintModel(withNpc).some((x) => x.code === 'cni-not-enforcing'));
  assert.ok(!lintModel(analyze(fixtureSources('cni', 'installs', 'calico-beside-flannel'))).some((x) => x.code === 'cni-not-enforcing'));
  assert.ok(lintModel(analyze(fixtureSources('cni', 'installs', 'cilium-never'))).some((x) => x.code === 'cni-not-enforcing'));
});
