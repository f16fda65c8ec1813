// The matrix's namespace names are never cut to "m…": a band too short for its name leaves the name to
// the workload labels.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { namespacesOutgrowingBands, workloadLabel } from '../../client/src/webview/matrix/groupLabels';

const width = (s: string) => s.length * 7; // 7 px a character, as a bold 12 px font roughly

const groups = [
  { namespace: 'monitoring', start: 0, end: 1 },
  { namespace: 'payments', start: 1, end: 2 },
  { namespace: 'shop', start: 2, end: 5 },
];

test('one-cell namespaces move into the labels; a band long enough keeps its name', () => {
  assert.deepEqual([...namespacesOutgrowingBands(groups, 28, width)], ['monitoring', 'payments']);
  // zoomed in far enough, every band holds its name
  assert.deepEqual([...namespacesOutgrowingBands(groups, 80, width)], []);
  // zoomed out, even three cells are too short for "shop"
  assert.deepEqual([...namespacesOutgrowingBands(groups, 8, width)], ['monitoring', 'payments', 'shop']);
});

test('a workload label carries its namespace only when the band cannot', () => {
  const moved = new Set(['monitoring']);
  assert.equal(workloadLabel({ namespace: 'monitoring', name: 'prometheus' }, moved), 'monitoring/prometheus');
  assert.equal(workloadLabel({ namespace: 'shop', name: 'cart' }, moved), 'cart');
});
