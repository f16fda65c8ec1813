// The node a tree view shows instead of children it could not load: a short message (the error
// itself goes to the NetLens output through the caller's ErrorReporter), shared by both trees.
import type * as vscode from 'vscode';
import { Icons } from './icons';

export interface LoadErrorNode<P> {
  kind: 'message';
  id: string;
  text: string;
  icon: vscode.ThemeIcon;
  tooltip: string;
  parent?: P;
}

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
