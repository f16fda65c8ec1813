// The name a screen reader reads for a tree row. VS Code reads `accessibilityInformation.label` when set,
// else a string tooltip, else label + description. A string tooltip is a different sentence from the row's
// visible text, which WCAG 2.5.3 (Label in Name) forbids: a voice-control user says what they see. So every
// NetLens row is named by its visible text, in the order it is drawn; the tooltip stays for hover.
// No `vscode` import (only the item's shape) so that the rule is tested without an editor.

interface NamedItem {
  label?: string | { label: string };
  description?: string | boolean;
  accessibilityInformation?: { label: string; role?: string };
}

/** The visible text of a tree item: its label, then its description when it has one. */
export function visibleText(item: NamedItem): string {
  const label = typeof item.label === 'string' ? item.label : (item.label?.label ?? '');
  const description = typeof item.description === 'string' ? item.description : '';
  return description ? `${label} ${description}` : label;
}

/** Names `item` by its visible text (see above) and returns it. */
export function namedByVisibleText<T extends NamedItem>(item: T): T {
  item.accessibilityInformation = { label: visibleText(item) };
  return item;
}
