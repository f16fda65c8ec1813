// npm run seed:lsp: LSP checks on the shared seed scenarios (run by .ci/run when ../shared is present;
// npm test does not depend on ../shared): hovers on the lab policies' podSelectors list exactly the matched pods.
// usage: node out/tools/seed/run.js [path/to/shared/fixtures/seed]
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Hover, MarkupContent } from 'vscode-languageserver-protocol';
import { LspSession, positionAt } from '../support/lsp';
import { repoRoot } from '../support/paths';

interface Check {
  dir: string;
  file: string;
  needle: string;
  /** which occurrence of the needle (0: the first) */
  nth: number;
  expect: string[];
  count: number;
}

const checks: Check[] = [
  // lesson9lab.yaml: mynp selects `target: "yes"`, which only Pod nginx carries
  {
    dir: '05a-lab-restricted-published-solution',
    file: 'lesson9lab.yaml',
    needle: 'podSelector:',
    nth: 0,
    expect: ['restricted/nginx[Pod]'],
    count: 1,
  },
  // the ingress peer: namespace default AND access=yes: sleepybox1 only
  {
    dir: '05a-lab-restricted-published-solution',
    file: 'lesson9lab.yaml',
    needle: 'podSelector:',
    nth: 1,
    expect: ['default/sleepybox1[Pod]'],
    count: 1,
  },
  // nwp-lab9-2.yaml: `matchLabels:` with a null value selects every pod of namespace default
  {
    dir: '04b-nwp-lab9-2',
    file: 'nwp-lab9-2.yaml',
    needle: 'podSelector:',
    nth: 0,
    expect: ['default/nwp-nginx[Pod]', 'default/busybox[Deployment]'],
    count: 2,
  },
];

function nthOffset(text: string, needle: string, nth: number): number {
  let at = -1;
  for (let i = 0; i <= nth; i++) at = text.indexOf(needle, at + 1);
  return at;
}

async function main(): Promise<number> {
  const seed = path.resolve(process.argv[2] ?? path.join(repoRoot(), '..', 'shared', 'fixtures', 'seed'));
  let passed = 0;
  let failed = 0;
  for (const c of checks) {
    const folder = path.join(seed, c.dir);
    const file = path.join(folder, c.file);
    const text = readFileSync(file, 'utf8');
    const s = await LspSession.start(folder);
    let md = '';
    try {
      await s.indexed(10_000);
      const uri = pathToFileURL(file).toString();
      await s.open(uri, text);
      const h = await s.request<Hover | null>('textDocument/hover', {
        textDocument: { uri },
        position: positionAt(text, nthOffset(text, c.needle, c.nth)),
      });
      md = (h?.contents as MarkupContent | undefined)?.value ?? '';
    } finally {
      await s.stop();
    }
    // hovers escape workspace text for Markdown (`default\/web\[Pod\]`): read the links' labels unescaped
    const listed = [...md.replace(/\\(.)/g, '$1').matchAll(/\[([^\]]+\[[A-Za-z]+\])\]\(/g)].map((m) => m[1]);
    const ok = listed.length === c.count && c.expect.every((id) => listed.includes(id));
    if (ok) passed++;
    else {
      failed++;
      console.log(
        `FAIL ${c.dir}/${c.file} hover #${c.nth} on ${c.needle}: expected ${c.expect.join(', ')}, got ${listed.join(', ') || '(none)'}\n${md}`,
      );
    }
  }
  console.log(`${passed} passed, ${failed} failed`);
  return failed ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (e) => {
    console.error(e);
    process.exit(2);
  },
);
