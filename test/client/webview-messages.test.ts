// Messages from the matrix webview are untrusted: only the documented shapes pass, with their keys
// copied; links that would run a command or leave the editor are refused.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fromWebview } from '../../client/src/views/webviewMessage';

const range = { start: { line: 1, character: 2 }, end: { line: 1, character: 9 } };

test('well-formed messages pass, with only the keys the panel uses', () => {
  assert.deepEqual(fromWebview({ type: 'ready', extra: 1 }), { type: 'ready' });
  assert.deepEqual(fromWebview({ type: 'query', from: 'a/b[Pod]', to: 'c', port: 80, protocol: 'UDP' }), {
    type: 'query',
    from: 'a/b[Pod]',
    to: 'c',
    port: 80,
    protocol: 'UDP',
  });
  assert.deepEqual(fromWebview({ type: 'query', from: 'a', to: 'c' }), { type: 'query', from: 'a', to: 'c' });
  assert.deepEqual(fromWebview({ type: 'open', location: { uri: 'file:///ws/a.yaml', range } }), {
    type: 'open',
    location: { uri: 'file:///ws/a.yaml', range },
  });
  assert.deepEqual(fromWebview({ type: 'showReport', from: 'a', to: 'b', text: 't' }), {
    type: 'showReport',
    from: 'a',
    to: 'b',
    text: 't',
  });
  assert.deepEqual(fromWebview({ type: 'overlay', on: false, marked: 0, outside: 0, id: 7 }), {
    type: 'overlay',
    on: false,
    marked: 0,
    outside: 0,
    id: 7,
  });
  assert.deepEqual(fromWebview({ type: 'overlay', on: true, marked: 3, outside: 1, x: 2 }), {
    type: 'overlay',
    on: true,
    marked: 3,
    outside: 1,
  });
});

test('malformed or dangerous messages are refused', () => {
  for (const m of [
    null,
    'ready',
    [],
    { type: 'nope' },
    { type: 'query', from: 'a', to: 'c', port: 'abc' },
    { type: 'query', from: 'a', to: 'c', port: 0 },
    { type: 'query', from: 'a', to: 'c', protocol: 'ICMP' },
    { type: 'query', from: 5, to: 'c' },
    { type: 'overlay', on: 'yes', marked: 1, outside: 0 },
    { type: 'overlay', on: true, marked: -1, outside: 0 },
    { type: 'overlay', on: true, marked: 1 },
    { type: 'overlay', on: true, marked: 1, outside: 0, id: 'x' },
    { type: 'query', from: 'a', to: 'x'.repeat(5000) },
    { type: 'open', location: { uri: 'command:workbench.action.terminal.new', range } },
    { type: 'open', location: { uri: 'https://example.com/', range } },
    { type: 'open', location: { uri: 'vscode://some.extension/run', range } },
    { type: 'open', location: { uri: 'file:///a.yaml', range: { start: { line: -1, character: 0 }, end: range.end } } },
    { type: 'open', location: { uri: 'file:///a.yaml' } },
    { type: 'showReport', from: 'a', to: 'b', text: 3 },
  ])
    assert.equal(fromWebview(m), undefined, JSON.stringify(m));
});
