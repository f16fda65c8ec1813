// The message row every NetLens tree shows (an empty state, a hint, or children it could not load): one
// shape, one way to draw it. The load error itself goes to the NetLens output through the caller's
// ErrorReporter; the row only says where to look.
import * as vscode from 'vscode';
import { Icons } from './icons';

export interface MessageNode<P> {
  kind: 'message';
  id: string;
  text: string;
  icon: vscode.ThemeIcon;
  tooltip?: string;
  parent?: P;
}

/** The row shown instead of children that could not be loaded. */
export type LoadErrorNode<P> = MessageNode<P> & { tooltip: string };

export function loadErrorNode<P extends { id: string }>(err: unknown, parent: P | undefined): LoadErrorNode<P> {
  return {
    kind: 'message',
    id: `error:${parent?.id ?? ''}`,
    text: 'Could not load (see the NetLens output)',
    icon: Icons.error,
    tooltip: String((err as Error)?.message ?? err),
    ...(parent ? { parent } : {}),
  };
}

/** A message row: not expandable, no command. */
export function messageTreeItem(node: MessageNode<unknown>): vscode.TreeItem {
  const item = new vscode.TreeItem(node.text, vscode.TreeItemCollapsibleState.None);
  item.iconPath = node.icon;
  item.contextValue = 'message';
  if (node.tooltip) item.tooltip = node.tooltip;
  return item;
}
