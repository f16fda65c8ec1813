// The status item's finding counts come from a background pass over every file: once it has run,
// they equal the diagnostics pulled file by file; an edit makes them stale until the next pass.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, statSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { LspSession } from '../support/lsp';
import { fixturePath } from '../support/paths';
import { StatusRequest } from '../../protocol/messages';

type Status = { version: number; findings: { error: number; warning: number; info: number }; findingsUpToDate: boolean };

function files(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((n) => (statSync(path.join(dir, n)).isDirectory() ? files(path.join(dir, n)) : [path.join(dir, n)]));
}

async function counted(s: LspSession, atLeastVersion = 0): Promise<Status> {
  const until = Date.now() + 15_000;
  for (;;) {
    const st = await s.request(StatusRequest);
    if (st.findingsUpToDate && st.version >= atLeastVersion) return st;
    assert.ok(Date.now() < until, 'the findings were counted within 15 s');
    await new Promise((r) => setTimeout(r, 100));
  }
}

test('status counts equal the pulled diagnostics, and follow an edit', async () => {
  const folder = fixturePath('lsp', 'workspace');
  const s = await LspSession.start(folder);
  try {
    await s.indexed();
    const st = await counted(s);
    const uris = files(folder).map((f) => pathToFileURL(f).toString());
    const sum = async () => {
      const c = { error: 0, warning: 0, info: 0 };
      for (const u of uris)
        for (const d of await s.diagnostics(u)) {
          if (d.severity === 1) c.error++;
          else if (d.severity === 2) c.warning++;
          else c.info++;
        }
      return c;
    };
    const expected = await sum();
    assert.ok(expected.error + expected.warning + expected.info > 0, 'the workspace has findings');
    assert.deepEqual(st.findings, expected);

    // an edit that adds a YAML error to one file
    const f = files(folder).find((x) => x.endsWith('.yaml'))!;
    const uri = pathToFileURL(f).toString();
    await s.open(uri, `${readFileSync(f, 'utf8')}\n---\nkey: [unclosed\n`);
    const after = await counted(s, st.version + 1);
    assert.ok(after.findings.error > st.findings.error, `the new error is counted (${st.findings.error} -> ${after.findings.error})`);
    assert.deepEqual(after.findings, await sum());
  } finally {
    await s.stop();
  }
});
