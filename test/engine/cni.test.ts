// CNI detection: the plugin from its network config (.conflist) or its install manifest's
// DaemonSet, and whether it enforces NetworkPolicy.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyze } from '../../server/src/engine';
import { fixtureSources } from '../support/paths';

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
