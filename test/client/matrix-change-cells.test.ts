// The diff against HEAD laid over the matrix: entries between matrix workloads mark their cell
// (row = source, column = destination); entries with an end outside the matrix are counted, never dropped.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ChangeEntryDto } from '../../protocol/messages';
import { changeCells, changeText, outsideNote } from '../../client/src/webview/matrix/changeCells';

const ws = [{ id: 'shop/web[Deployment]' }, { id: 'shop/cart[Deployment]' }, { id: 'mon/prom[Deployment]' }];

function entry(
  category: ChangeEntryDto['category'],
  source: ChangeEntryDto['source'],
  destination: ChangeEntryDto['destination'],
  before: string,
  after: string,
): ChangeEntryDto {
  return { category, namespace: 'shop', source, destination, ports: `${before} -> ${after}`, before, after, causes: [] };
}
const w = (id: string) => ({ id, kind: 'workload' as const });

test('entries between matrix workloads map onto (source row, destination column)', () => {
  const r = changeCells(ws, [
    entry('added', w('shop/web[Deployment]'), w('shop/cart[Deployment]'), 'No Connections', 'TCP 8080'),
    entry('changed', w('mon/prom[Deployment]'), w('shop/web[Deployment]'), 'TCP 80', 'TCP 80,443'),
    entry('removed', w('shop/cart[Deployment]'), w('mon/prom[Deployment]'), 'TCP 9090', 'No Connections'),
  ]);
  assert.deepEqual(
    [...r.cells].sort((a, b) => a[0] - b[0]),
    [
      [0 * 3 + 1, { category: 'added', before: 'No Connections', after: 'TCP 8080' }],
      [1 * 3 + 2, { category: 'removed', before: 'TCP 9090', after: 'No Connections' }],
      [2 * 3 + 0, { category: 'changed', before: 'TCP 80', after: 'TCP 80,443' }],
    ],
  );
  assert.equal(r.outside.total, 0);
  assert.equal(outsideNote(r.outside), '');
  assert.equal(changeText(r.cells.get(6)!), '~ changed against HEAD: before TCP 80, after TCP 80,443');
});

test('entries with an IP range, a DNS name or a removed workload are counted outside the matrix', () => {
  const r = changeCells(ws, [
    entry('added', w('shop/web[Deployment]'), { id: '0.0.0.0-255.255.255.255', kind: 'external' }, 'No Connections', 'TCP 443'),
    entry('removed', w('shop/web[Deployment]'), { id: 'cart:80', kind: 'name' }, 'TCP 80', 'No Connections'),
    entry(
      'removed',
      { id: 'shop/old[Deployment]', kind: 'workload', workload: 'removed' },
      w('shop/cart[Deployment]'),
      'TCP 8080',
      'No Connections',
    ),
  ]);
  assert.equal(r.cells.size, 0);
  assert.deepEqual(r.outside, { total: 3, external: 1, names: 1, workloads: 1 });
  assert.equal(
    outsideNote(r.outside),
    '3 changes outside the matrix (1 to or from an IP range, 1 to a DNS name, 1 with a workload the change removed)',
  );
});
