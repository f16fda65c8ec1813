// The output channel lists what indexing left out and why (the empty state sends the user there).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { LspSession } from '../support/lsp';

test('after indexing, the log names each skipped document with its place and the reason', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'netlens-skiplog-'));
  mkdirSync(path.join(dir, 'chart', 'templates'), { recursive: true });
  writeFileSync(path.join(dir, 'chart', 'Chart.yaml'), 'apiVersion: v2\nname: demo\nversion: 0.1.0\n');
  writeFileSync(
    path.join(dir, 'chart', 'templates', 'svc.yaml'),
    'apiVersion: v1\nkind: Service\nmetadata:\n  name: {{ .Release.Name }}\nspec:\n  ports: [{port: 80}]\n',
  );
  const logs: string[] = [];
  const s = await LspSession.start(dir);
  s.onNotification<{ message: string }>('window/logMessage', (p) => logs.push(p.message));
  try {
    await s.indexed();
    const line = await (async () => {
      for (let i = 0; i < 50; i++) {
        const found = logs.find((l) => l.startsWith('skipped ') && l.includes('svc.yaml:'));
        if (found) return found;
        await new Promise((r) => setTimeout(r, 100));
      }
      return undefined;
    })();
    assert.ok(line, `no skipped line for the template; log: ${JSON.stringify(logs)}`);
    assert.match(line, /svc\.yaml:\d+:\d+: .*(template|chart)/i);
  } finally {
    await s.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});
