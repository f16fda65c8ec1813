// The layering the code relies on, enforced: every import of client/, protocol/ and server/ is checked
// against the edges docs/architecture.md allows (the engine's tsconfig rootDir catches some at compile time).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from '../support/paths';

/** The module specifiers a TypeScript file imports (static, dynamic, require, re-exports). */
export function importsOf(text: string): string[] {
  const code = text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`])\/\/.*$/gm, '$1');
  const out: string[] = [];
  const patterns = [
    /^\s*(?:import|export)\b[^;'"`]*?\bfrom\s*(['"])([^'"]+)\1/gm,
    /^\s*import\s*(['"])([^'"]+)\1/gm,
    /(?<![\w$.'"`])import\(\s*(['"])([^'"]+)\1\s*\)/g,
    /(?<![\w$.'"`])require\(\s*(['"])([^'"]+)\1\s*\)/g,
  ];
  for (const re of patterns) for (const m of code.matchAll(re)) out.push(m[2]!);
  return out;
}

interface Layer {
  /** repo-relative folder (or file) the rule applies to */
  dir: string;
  /** repo-relative folders a relative import may land in */
  mayReach: string[];
  /** bare specifiers allowed (a name, or a prefix ending in '/' or ':') */
  packages: string[];
}

const LAYERS: Layer[] = [
  { dir: 'protocol', mayReach: ['protocol'], packages: ['vscode-languageserver-protocol'] },
  // the engine is pure: its own files and its libraries, nothing of Node, the editor or the protocol
  { dir: 'server/src/engine', mayReach: ['server/src/engine'], packages: ['yaml', 'ipaddr.js'] },
  // the webview runs in a browser page: its own files, the protocol's types, and the graph layout library (bundled in)
  { dir: 'client/src/webview', mayReach: ['client/src/webview', 'protocol'], packages: ['@dagrejs/dagre'] },
  // the client talks to the server only through the protocol
  {
    dir: 'client/src',
    mayReach: ['client/src', 'protocol'],
    packages: ['vscode', 'vscode-languageclient', 'vscode-languageclient/', 'node:'],
  },
  // the CLI runs the engine and the file walking, never the language server's handlers
  {
    dir: 'server/src/cli',
    mayReach: [
      'server/src/cli',
      'server/src/engine',
      'server/src/workspace/walk',
      'server/src/workspace/charts',
      'server/src/workspace/decode',
      'server/src/workspace/readRegular',
      'server/src/workspace/parsePool',
      'server/src/workspace/kustomizeDiskFs',
      'server/src/workspace/gitObjects',
      'server/src/render',
    ],
    packages: ['node:'],
  },
  // renderers run external programs (helm) for the engine's inputs: they know the engine, never the
  // language server's handlers, the CLI or the client
  { dir: 'server/src/render', mayReach: ['server/src/render', 'server/src/engine'], packages: ['node:', 'yaml'] },
  // the workspace (files, index, snapshots) knows the engine, not the handlers or the CLI
  {
    dir: 'server/src/workspace',
    mayReach: [
      'server/src/workspace',
      'server/src/engine',
      'server/src/render',
      'server/src/state.ts',
      'server/src/settings.ts',
      // the parse workers start through the server's V8 code cache (a Node-only loader, no handlers)
      'server/src/codeCache',
      'protocol',
    ],
    packages: ['node:', 'vscode-languageserver', 'vscode-languageserver/', 'vscode-uri', 'minimatch'],
  },
  // handlers adapt the engine to LSP: never the CLI
  {
    dir: 'server/src/handlers',
    mayReach: [
      'server/src/handlers',
      'server/src/engine',
      'server/src/workspace',
      'server/src/render',
      'server/src/state.ts',
      'server/src/settings.ts',
      'protocol',
    ],
    packages: ['vscode-languageserver', 'vscode-languageserver/', 'vscode-languageserver-textdocument'],
  },
];

/** whether a repo-relative path (an import target may lack its .ts) is the file or folder `dir` or inside it */
const inside = (file: string, dir: string) => file === dir || `${file}.ts` === dir || file.startsWith(`${dir}/`);

/** The forbidden imports of one file (repo-relative path), as readable lines; [] when it obeys its layer. */
export function violations(file: string, specifiers: readonly string[]): string[] {
  const layer = LAYERS.find((l) => inside(file, l.dir));
  if (!layer) return [];
  const out: string[] = [];
  for (const spec of specifiers) {
    if (spec.startsWith('.')) {
      const target = path.posix.normalize(path.posix.join(path.posix.dirname(file), spec));
      if (!layer.mayReach.some((d) => inside(target, d)))
        out.push(`${file} imports ${spec} (${target}), outside ${layer.mayReach.join(', ')}`);
    } else if (!layer.packages.some((p) => (p.endsWith('/') || p.endsWith(':') ? spec.startsWith(p) : spec === p))) {
      out.push(`${file} imports package ${spec}, not allowed in ${layer.dir}`);
    }
  }
  return out;
}

function sources(dir: string): string[] {
  const out: string[] = [];
  const walk = (abs: string) => {
    for (const name of readdirSync(abs)) {
      const p = path.join(abs, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (name.endsWith('.ts')) out.push(p);
    }
  };
  walk(path.join(repoRoot(), dir));
  return out;
}

test('every import of protocol/, client/ and server/ respects the layering', () => {
  const root = repoRoot();
  const found: string[] = [];
  let files = 0;
  for (const dir of ['protocol', 'client/src', 'server/src']) {
    for (const abs of sources(dir)) {
      files++;
      const rel = path.relative(root, abs).split(path.sep).join('/');
      found.push(...violations(rel, importsOf(readFileSync(abs, 'utf8'))));
    }
  }
  assert.ok(files > 100, `scanned ${files} files`);
  assert.deepEqual(found, []);
});

test('the checker flags each forbidden edge', () => {
  assert.deepEqual(violations('server/src/engine/policy/x.ts', ['../model/types', 'yaml']), []);
  assert.equal(violations('server/src/engine/policy/x.ts', ['../../../../protocol/messages']).length, 1);
  assert.equal(violations('server/src/engine/policy/x.ts', ['node:fs']).length, 1);
  assert.equal(violations('server/src/engine/policy/x.ts', ['vscode-languageserver']).length, 1);
  assert.equal(violations('client/src/views/tree.ts', ['../../../server/src/engine/model/types']).length, 1);
  assert.deepEqual(violations('client/src/views/tree.ts', ['../../../protocol/messages', 'vscode']), []);
  assert.equal(violations('server/src/handlers/requests.ts', ['../cli/commands/query']).length, 1);
  assert.equal(violations('server/src/cli/main.ts', ['../handlers/hover']).length, 1);
  assert.equal(violations('protocol/messages.ts', ['../server/src/state']).length, 1);
  assert.deepEqual(violations('server/src/render/helmRender.ts', ['../engine/model/types', 'node:fs', 'yaml']), []);
  assert.equal(violations('server/src/render/helmRender.ts', ['../handlers/hover']).length, 1);
  assert.equal(violations('server/src/render/helmRender.ts', ['../cli/main']).length, 1);
  assert.equal(violations('server/src/render/helmRender.ts', ['vscode']).length, 1);
  assert.deepEqual(violations('server/src/cli/main.ts', ['../render/helmRender']), []);
});

test('imports are found in every form a TypeScript file can write them', () => {
  const text = [
    "import a from 'a';",
    "import type { B } from './b';",
    'import {\n  c,\n  d,\n} from "../c";',
    "export { e } from './e';",
    "export * from 'f';",
    "import './side-effect';",
    "const g = await import('g');",
    "const h = require('h');",
    "// import x from 'commented';",
    "/* import y from 'block'; */",
    "const url = 'http://example.org/x';\nimport z from 'z';",
    "if (name === 'import') report(`import ${x.join(' ')}`);",
  ].join('\n');
  assert.deepEqual(importsOf(text).sort(), ['../c', './b', './e', './side-effect', 'a', 'f', 'g', 'h', 'z'].sort());
});
