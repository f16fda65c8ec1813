// The diff against HEAD laid over the matrix: entries between matrix workloads mark their cell
// (row = source, column = destination); entries with an end outside the matrix are counted, never dropped.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ChangeEntryDto } from '../../protocol/messages';
import { changeCells, changeText, outsideNote, toggleState } from '../../client/src/webview/matrix/changeCells';

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
  assert.equal(changeText(r.cells.get(6)!), '~ changed against HEAD: TCP 80 -> TCP 80,443');
  assert.equal(changeText(r.cells.get(1)!), '+ added against HEAD: No Connections -> TCP 8080');
  assert.equal(changeText(r.cells.get(5)!), '− removed against HEAD: TCP 9090 -> No Connections');
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
    '3 changes involve peers outside the matrix (1 IP range, 1 DNS name, 1 removed workload; see the Changes view)',
  );
});

test('one change outside the matrix is worded in the singular; several of one kind in the plural', () => {
  assert.equal(
    outsideNote({ total: 1, external: 1, names: 0, workloads: 0 }),
    '1 change involves a peer outside the matrix (1 IP range; see the Changes view)',
  );
  assert.equal(
    outsideNote({ total: 2, external: 0, names: 2, workloads: 0 }),
    '2 changes involve peers outside the matrix (2 DNS names; see the Changes view)',
  );
});

test('an entry between a matrix workload and itself marks the diagonal cell', () => {
  const r = changeCells(ws, [entry('added', w('shop/cart[Deployment]'), w('shop/cart[Deployment]'), 'No Connections', 'TCP 1')]);
  assert.deepEqual([...r.cells.keys()], [1 * 3 + 1]);
});

test('the "Show changes" button is disabled, with the reason in words, unless the diff has entries', () => {
  assert.deepEqual(toggleState('computing', undefined, undefined, 0), {
    enabled: false,
    note: 'Changes: comparing with git HEAD…',
    title: 'Changes: comparing with git HEAD…',
  });
  assert.equal(toggleState('computing', 'waiting for the language server', undefined, 0).note, 'Changes: waiting for the language server…');
  const none = toggleState('unavailable', 'no git HEAD to compare with (not a git repository)', undefined, 0);
  assert.equal(none.enabled, false);
  assert.equal(none.note, 'Changes: no git HEAD to compare with (not a git repository)');
  assert.equal(toggleState('unavailable', undefined, undefined, 0).note, 'Changes: nothing to compare with');
  const failed = toggleState('failed', 'Request netlens/changes failed', undefined, 0);
  assert.equal(failed.enabled, false);
  assert.match(failed.note, /failed \(Request netlens\/changes failed\)$/);
  const clean = toggleState('ready', undefined, 'abc1234', 0);
  assert.deepEqual([clean.enabled, clean.note], [false, 'Changes: no connectivity changes against git HEAD (abc1234)']);
  const some = toggleState('ready', undefined, 'abc1234', 3);
  assert.deepEqual(some, {
    enabled: true,
    note: '',
    title: 'Mark the 3 connections this change adds, removes or alters against git HEAD (abc1234)',
  });
  assert.equal(
    toggleState('ready', undefined, undefined, 1).title,
    'Mark the 1 connection this change adds, removes or alters against git HEAD',
  );
});
