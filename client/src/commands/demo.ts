// "Open the Demo Workspace" (the walkthrough's first step): the demo shipped in the package
// (examples/shop) is copied to the extension's storage, so the user may edit it freely, and opened.
// When the demo is already the open workspace, the command opens one of its files instead (`file`,
// relative to the demo, e.g. "shop/policies.yaml"), which is what the walkthrough's later steps ask for.
import * as vscode from 'vscode';
import type { Ctx } from '../ctx';

const DEMO = ['examples', 'shop'];
/** a file only the demo has: tells that the open workspace is the demo */
const DEMO_MARKER = 'shop/frontend.yaml';

/** The open workspace folder that is the demo, if any. */
async function openDemoFolder(): Promise<vscode.Uri | undefined> {
  for (const f of vscode.workspace.workspaceFolders ?? []) {
    try {
      await vscode.workspace.fs.stat(vscode.Uri.joinPath(f.uri, DEMO_MARKER));
      return f.uri;
    } catch {
      // not this one
    }
  }
  return undefined;
}

export async function openDemoCommand(ctx: Ctx, file?: unknown): Promise<vscode.Uri> {
  const relative = typeof file === 'string' && !file.split('/').includes('..') ? file : DEMO_MARKER;
  const open = await openDemoFolder();
  if (open) {
    const uri = vscode.Uri.joinPath(open, ...relative.split('/'));
    await vscode.window.showTextDocument(uri, { preview: false });
    return uri;
  }
  const target = vscode.Uri.joinPath(ctx.extension.globalStorageUri, 'demo', 'shop');
  try {
    await vscode.workspace.fs.stat(target);
  } catch {
    await vscode.workspace.fs.copy(vscode.Uri.joinPath(ctx.extension.extensionUri, ...DEMO), target, { overwrite: false });
  }
  await vscode.commands.executeCommand('vscode.openFolder', target, { forceNewWindow: false });
  return target;
}
