#!/usr/bin/env node
// The NetLens language server for any LSP client (Neovim, Helix, Emacs, Zed...): starts dist/server.js
// on the transport given (`--stdio`, the default when none is, `--node-ipc`, `--socket=PORT`, `--pipe=NAME`).
// docs/editors.md says how each editor runs it.
'use strict';
const path = require('node:path');

const args = process.argv.slice(2);
if (args.includes('--version') || args.includes('-v')) {
  process.stdout.write(`${require('../package.json').version}\n`);
  process.exit(0);
}
if (args.includes('--help') || args.includes('-h')) {
  process.stdout.write(
    'usage: netlens-language-server [--stdio | --node-ipc | --socket=PORT | --pipe=NAME]\n' +
      'The NetLens language server (Language Server Protocol), for editors other than VS Code: see docs/editors.md.\n',
  );
  process.exit(0);
}
const transports = ['--stdio', '--node-ipc', '--socket', '--pipe'];
if (!args.some((a) => transports.some((t) => a === t || a.startsWith(`${t}=`)))) process.argv.push('--stdio');
require(path.join(__dirname, '..', 'dist', 'server.js'));
