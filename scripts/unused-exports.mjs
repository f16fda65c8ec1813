#!/usr/bin/env node
// Lists the exports of server/src, client/src and protocol that no other file uses (TypeScript compiler API).
// A use is any reference resolved to the exported symbol from another file (imports, re-exports, `ns.name`).
// Each export is reported as `unused` (no reference at all), `local` (used only in its own file: un-export it)
// or `tests` (used only by test/ files). Entry points (activate, deactivate) are not reported.
// usage: node scripts/unused-exports.mjs [--tests]   (--tests: also list exports used only by tests)
import path from 'node:path';
import { readdirSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const checked = ['server/src', 'client/src', 'protocol'];
const users = [...checked, 'test'];
const entryExports = new Set(['activate', 'deactivate']);

function tsFiles(dir) {
  const out = [];
  for (const n of readdirSync(dir)) {
    const p = path.join(dir, n);
    if (n === 'node_modules' || n === 'fixtures') continue;
    if (statSync(p).isDirectory()) out.push(...tsFiles(p));
    else if (n.endsWith('.ts') && !n.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

const files = users.flatMap((d) => tsFiles(path.join(root, d)));
const program = ts.createProgram(files, {
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.ESNext,
  moduleResolution: ts.ModuleResolutionKind.Bundler,
  lib: ['lib.es2022.d.ts', 'lib.dom.d.ts'],
  types: ['node', 'vscode', 'mocha'],
  esModuleInterop: true,
  resolveJsonModule: true,
  skipLibCheck: true,
  noEmit: true,
});
const checker = program.getTypeChecker();
const rel = (f) => path.relative(root, f).split(path.sep).join('/');
const isChecked = (f) => checked.some((d) => rel(f).startsWith(`${d}/`));

/** exported symbol -> files (other than its own) that reference it */
const usedBy = new Map();
const note = (sym, file) => {
  const decl = sym.declarations?.[0];
  if (!decl) return;
  if (!usedBy.has(sym)) usedBy.set(sym, new Set());
  usedBy.get(sym).add(decl.getSourceFile().fileName === file ? '<self>' : rel(file));
};
// marks the symbol and every alias on the way to it (an import of a re-export uses the re-export too)
const mark = (sym, file) => {
  for (let depth = 0; sym && depth < 20; depth++) {
    note(sym, file);
    if (!(sym.flags & ts.SymbolFlags.Alias)) return;
    try {
      sym = checker.getImmediateAliasedSymbol(sym);
    } catch {
      return;
    }
  }
};

for (const sf of program.getSourceFiles()) {
  if (sf.isDeclarationFile || !files.includes(path.normalize(sf.fileName))) continue;
  const visit = (node) => {
    if (ts.isIdentifier(node)) {
      const parent = node.parent;
      // the declaring name itself is not a use
      const declaring =
        parent &&
        'name' in parent &&
        parent.name === node &&
        !ts.isPropertyAccessExpression(parent) &&
        !ts.isImportSpecifier(parent) &&
        !ts.isExportSpecifier(parent);
      if (!declaring) mark(checker.getSymbolAtLocation(node), sf.fileName);
      if (ts.isShorthandPropertyAssignment(parent)) mark(checker.getShorthandAssignmentValueSymbol(parent), sf.fileName);
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
}

const rows = [];
for (const sf of program.getSourceFiles()) {
  if (sf.isDeclarationFile || !isChecked(sf.fileName)) continue;
  const modSym = checker.getSymbolAtLocation(sf);
  if (!modSym) continue;
  for (const exp of checker.getExportsOfModule(modSym)) {
    let sym = exp;
    if (sym.flags & ts.SymbolFlags.Alias) sym = checker.getAliasedSymbol(sym);
    let decl = sym.declarations?.[0];
    // a re-export of another module's symbol (export { x } from, export { imported }) is judged by its own uses
    if (decl && decl.getSourceFile() !== sf && exp.declarations?.[0]?.getSourceFile() === sf) {
      sym = exp;
      decl = exp.declarations[0];
    }
    if (!decl || decl.getSourceFile() !== sf || entryExports.has(exp.name)) continue;
    const by = [...(usedBy.get(sym) ?? [])];
    const others = by.filter((f) => f !== '<self>');
    const kind = others.length === 0 ? (by.length ? 'local' : 'unused') : others.every((f) => f.startsWith('test/')) ? 'tests' : undefined;
    if (!kind) continue;
    const { line } = sf.getLineAndCharacterOfPosition(decl.getStart());
    rows.push({ kind, where: `${rel(sf.fileName)}:${line + 1}`, name: exp.name, tests: kind === 'tests' ? others.join(' ') : '' });
  }
}
const wantTests = process.argv.includes('--tests');
for (const r of rows.sort((a, b) => (a.where < b.where ? -1 : 1)))
  if (r.kind !== 'tests' || wantTests) console.log(`${r.kind.padEnd(6)} ${r.where} ${r.name}${r.tests ? `  (${r.tests})` : ''}`);
