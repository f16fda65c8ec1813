// After indexing, the NetLens output channel lists what was left out of the analysis and why (templates,
// documents of unknown kinds, invalid YAML...), so that the empty state's advice ("see what was skipped in
// the NetLens output") holds. Files not read at all (too large, unreadable) are logged while walking.
import type { Snapshot } from './workspace/snapshot';

/** lines beyond this are summarised, so that a huge workspace does not flood the channel */
const MAX_LINES = 200;

export function skippedLines(snap: Snapshot): string[] {
  const skipped = snap.model.skipped;
  const lines = skipped.slice(0, MAX_LINES).map((k) => `skipped ${k.ref ? snap.locator.format(k.ref) : k.uri}: ${k.reason}`);
  if (skipped.length > MAX_LINES) lines.push(`… and ${skipped.length - MAX_LINES} more skipped documents`);
  return lines;
}
