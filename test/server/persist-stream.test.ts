// The persisted index is written and read one file's entry at a time (issue 19, XL memory): the file is
// the JSON document a whole JSON.stringify gave before (with line breaks between the entries), it reads
// back to the same file models, an index laid out otherwise (an older build's, pretty-printed) is still
// read, and a truncated or corrupt one is discarded as before.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseSourceFile } from '../../server/src/engine';
import { readFileModel, type FileModel } from '../../server/src/engine/model/build';
import { contentHash, INDEX_FORMAT, indexChunks, PersistedIndex } from '../../server/src/workspace/persist';
import { generate } from '../bench/generate';

type Entry = { uri: string; text: string; file: FileModel };

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name)) : e.name.endsWith('.yaml') ? [path.join(dir, e.name)] : []))
    .sort();
}

/** the generated S workspace's files, with their file models */
function workspaceEntries(dir: string): Entry[] {
  generate('S', 7, dir);
  return walk(dir).map((p) => {
    const uri = `file://${p}`;
    const text = readFileSync(p, 'utf8');
    return { uri, text, file: readFileModel(parseSourceFile(uri, text), 'default') };
  });
}

/** what save() wrote before the index was streamed: one JSON.stringify of the whole */
function wholeJson(entries: Entry[], engine: string, defaultNamespace: string): string {
  const files: Record<string, { hash: string; file: FileModel }> = {};
  for (const e of entries) files[e.uri] = { hash: contentHash(e.text), file: e.file };
  return JSON.stringify({ format: INDEX_FORMAT, version: 3, engine, defaultNamespace, files });
}

function scratch(): { dir: string; store: string; file: string; ws: string } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'netlens-persist-stream-'));
  const store = path.join(dir, 'store');
  mkdirSync(store);
  return { dir, store, ws: path.join(dir, 'ws'), file: path.join(store, 'index.json') };
}

async function loaded(store: string, engine = 'e1', ns = 'default'): Promise<{ index: PersistedIndex; n: number; logs: string[] }> {
  const logs: string[] = [];
  const index = PersistedIndex.in(store, engine);
  const n = await index.load(ns, (m) => logs.push(m));
  return { index, n, logs };
}

test('the streamed index is the JSON of before, one entry a line, and reads back to the same file models', async () => {
  const s = scratch();
  try {
    const entries = workspaceEntries(s.ws);
    assert.ok(entries.length > 100);
    assert.equal(await PersistedIndex.in(s.store, 'e1').save(entries, 'default'), true);
    const text = readFileSync(s.file, 'utf8');
    // the same document as one JSON.stringify of the whole, with a line break after the header and each entry
    assert.equal(text.replaceAll('\n', ''), wholeJson(entries, 'e1', 'default'));
    assert.equal(text.split('\n').length, entries.length + 2);
    assert.deepEqual(JSON.parse(text), JSON.parse(wholeJson(entries, 'e1', 'default')));
    const { index, n, logs } = await loaded(s.store);
    assert.equal(n, entries.length);
    assert.deepEqual(logs, []);
    for (const e of entries) {
      assert.equal(index.hashOf(e.uri), contentHash(e.text));
      assert.deepEqual(index.lookup(e.uri, e.text), e.file, e.uri);
    }
    // the loaded index holds exactly what it read (a warm start that reused every file skips the save)
    assert.equal(
      index.holds(
        entries.map((e) => ({ uri: e.uri, file: index.lookup(e.uri, e.text)! })),
        'default',
      ),
      true,
    );
    // another engine or default namespace: nothing reused, nothing logged
    for (const [engine, ns] of [
      ['e2', 'default'],
      ['e1', 'other'],
    ])
      assert.deepEqual(await loaded(s.store, engine, ns).then((r) => [r.n, r.logs]), [0, []]);
  } finally {
    rmSync(s.dir, { recursive: true, force: true });
  }
});

test('an index of over a megabyte of multi-byte text crosses chunk boundaries intact', async () => {
  const s = scratch();
  try {
    const entries: Entry[] = [];
    for (let i = 0; i < 4000; i++) {
      const uri = `file:///w/ns-${i}/caf\u00e9 \u20ac\u{1F600}.yaml`;
      const message = `${'\u00fc\u20ac\u{1F600}x'.repeat(100 + (i % 7))} "quoted" \\ \n line`;
      const file = {
        uri,
        objects: [],
        findings: [{ message }],
        skipped: [],
        corefiles: [],
        dnsConfigs: [],
        cniHints: [],
      } as unknown as FileModel;
      entries.push({ uri, text: `text ${i}`, file });
    }
    const chunks = [
      ...indexChunks('e1', 'default', Object.fromEntries(entries.map((e) => [e.uri, { hash: contentHash(e.text), file: e.file }]))),
    ];
    assert.ok(chunks.length > 1, 'more than one chunk');
    await PersistedIndex.in(s.store, 'e1').save(entries, 'default');
    assert.ok(readFileSync(s.file).length > 1 << 20);
    const { index, n } = await loaded(s.store);
    assert.equal(n, entries.length);
    for (const e of entries) assert.deepEqual(index.lookup(e.uri, e.text), e.file);
  } finally {
    rmSync(s.dir, { recursive: true, force: true });
  }
});

test('an index in one line (an older build) or pretty-printed is read whole; an empty one reads as empty', async () => {
  const s = scratch();
  try {
    const entries = workspaceEntries(s.ws).slice(0, 40);
    const whole = wholeJson(entries, 'e1', 'default');
    for (const text of [whole, JSON.stringify(JSON.parse(whole), null, 2), whole.replace('"files":{', '"files":{\n\n')]) {
      writeFileSync(s.file, text);
      const { index, n, logs } = await loaded(s.store);
      assert.equal(n, entries.length);
      assert.deepEqual(logs, []);
      for (const e of entries) assert.deepEqual(index.lookup(e.uri, e.text), e.file);
    }
    await PersistedIndex.in(s.store, 'e1').save([], 'default');
    assert.deepEqual(JSON.parse(readFileSync(s.file, 'utf8')).files, {});
    assert.deepEqual(await loaded(s.store).then((r) => [r.n, r.logs]), [0, []]);
  } finally {
    rmSync(s.dir, { recursive: true, force: true });
  }
});

test('a truncated or corrupt streamed index is discarded (logged), as a whole one was', async () => {
  const s = scratch();
  try {
    const entries = workspaceEntries(s.ws).slice(0, 30);
    await PersistedIndex.in(s.store, 'e1').save(entries, 'default');
    const good = readFileSync(s.file, 'utf8');
    const lines = good.split('\n');
    const variants: Record<string, string> = {
      'cut mid-entry': good.slice(0, Math.floor(good.length / 2)),
      'cut after an entry': lines.slice(0, 10).join('\n'),
      'cut after an entry and its line break': `${lines.slice(0, 10).join('\n')}\n`,
      'cut before the closing braces': lines.slice(0, -1).join('\n'),
      'last entry lost': [...lines.slice(0, -3), lines[lines.length - 3], lines[lines.length - 1]].join('\n'),
      'a comma lost': [lines[0], lines[1].slice(0, -1), ...lines.slice(2)].join('\n'),
      'garbage after the end': `${good}\n{"x":1}`,
      'a number JSON cannot hold': good.replace(/"start":\d+/, '"start":1e400'),
      empty: '',
    };
    for (const [name, text] of Object.entries(variants)) {
      writeFileSync(s.file, text);
      const { index, n, logs } = await loaded(s.store);
      if (name === 'a number JSON cannot hold') {
        // parsed (as Infinity): the entry is there, but its model does not fit the text, so it is not reused
        assert.equal(n, entries.length, name);
        assert.equal(entries.filter((e) => index.lookup(e.uri, e.text) === undefined).length, 1, name);
        continue;
      }
      assert.equal(n, 0, name);
      assert.equal(logs.length, 1, `${name}: ${logs.join('; ')}`);
      assert.match(logs[0], /^discarded the persisted index /, name);
      assert.equal(index.lookup(entries[0].uri, entries[0].text), undefined, name);
    }
    // an entry of the wrong shape: discarded with the reason (the same reasons as for a whole index)
    const bad = [lines[0], lines[1].replace(/"hash":"[0-9a-f]+"/, '"hash":"nothex"'), ...lines.slice(2)].join('\n');
    writeFileSync(s.file, bad);
    const r = await loaded(s.store);
    assert.equal(r.n, 0);
    assert.match(r.logs[0], /bad entry for file:/);
    const other = [lines[0], lines[1].replace(/"file":\{"uri":"[^"]+"/, '"file":{"uri":"file:///elsewhere.yaml"'), ...lines.slice(2)].join(
      '\n',
    );
    writeFileSync(s.file, other);
    assert.match((await loaded(s.store)).logs[0], /names "file:\/\/\/elsewhere.yaml"/);
    writeFileSync(s.file, good.replace('"version":3', '"version":999'));
    assert.match((await loaded(s.store)).logs[0], /version 999, not 3/);
    // a uri that is a property name of every object is an entry like any other, not the prototype
    const proto = `{"format":"${INDEX_FORMAT}","version":3,"engine":"e1","defaultNamespace":"default","files":{\n"__proto__":{"hash":"${contentHash('x')}","file":{"uri":"__proto__","objects":[],"findings":[],"skipped":[],"corefiles":[],"dnsConfigs":[],"cniHints":[]}}\n}}`;
    writeFileSync(s.file, proto);
    const p = await loaded(s.store);
    assert.equal(p.n, 1);
    assert.equal(p.index.hashOf('__proto__'), contentHash('x'));
    assert.equal(p.index.hashOf('constructor'), undefined);
  } finally {
    rmSync(s.dir, { recursive: true, force: true });
  }
});

test('a save that pauses between its steps (the server waits there while the editor is busy) writes the same file', async () => {
  const s = scratch();
  try {
    const entries = workspaceEntries(s.ws);
    let pauses = 0;
    let waiting = false;
    const pause = async () => {
      pauses++;
      waiting = true;
      await new Promise((r) => setTimeout(r, 1));
      waiting = false;
    };
    const saving = PersistedIndex.in(s.store, 'e1').save(entries, 'default', pause);
    assert.equal(await saving, true);
    assert.equal(waiting, false);
    assert.ok(pauses >= 2, `paused ${pauses} times`);
    assert.equal(readFileSync(s.file, 'utf8').replaceAll('\n', ''), wholeJson(entries, 'e1', 'default'));
  } finally {
    rmSync(s.dir, { recursive: true, force: true });
  }
});
