// The node a tree view shows instead of children it could not load: a short message (the error
// itself goes to the NetLens output through the caller's ErrorReporter), shared by both trees.
import { Icons } from './icons';

export function loadErrorNode<P extends { id: string }>(err: unknown, parent: P | undefined) {
  return {
    kind: 'message' as const,
    id: `error:${parent?.id ?? ''}`,
    text: 'Could not load (see the NetLens output)',
    icon: Icons.error,
    tooltip: String((err as Error)?.message ?? err),
    ...(parent ? { parent } : {}),
  };
}
