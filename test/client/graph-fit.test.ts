// The connection graph fits the room its view has: drawn left to right or top to bottom, whichever shows it
// larger, and scaled to show all of it. On the demo with the explanation panel open (the README's
// screenshot), the left-to-right drawing alone ran past the view's right edge even at the smallest scale.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { GraphRequest, type GraphResult } from '../../protocol/messages';
import { chooseDirection, fitScale, layoutGraph, MIN_SCALE, type Direction, type Placed } from '../../client/src/webview/graph/layout';
import { LspSession } from '../support/lsp';
import { repoRoot } from '../support/paths';

/** The graph area of the 1280x800 workbench with the side bar closed: alone, and beside the explanation panel. */
const FULL = { width: 1214, height: 630 };
const BESIDE_PANEL = { width: 850, height: 630 };

async function demoGraph(): Promise<GraphResult> {
  const s = await LspSession.start(path.join(repoRoot(), 'examples/shop'));
  try {
    await s.indexed();
    return await s.request(GraphRequest, {});
  } finally {
    await s.stop();
  }
}

function fits(p: Placed, room: { width: number; height: number }): boolean {
  const scale = fitScale(p.width, p.height, room);
  return p.width * scale <= room.width + 0.5 && p.height * scale <= room.height + 0.5;
}

test('graph: the demo fits its view whole, beside the explanation panel too, at a readable scale', async () => {
  const g = await demoGraph();
  assert.equal(g.workloadCount, 5);
  const layouts = new Map<Direction, Placed>();
  const layout = (d: Direction) => layouts.get(d) ?? layouts.set(d, layoutGraph(g, d)).get(d)!;
  // the bug: drawn left to right only, the demo is too wide for the room beside the panel
  assert.ok(!fits(layout('LR'), BESIDE_PANEL), 'the left-to-right drawing is too wide beside the panel (the case this covers)');
  for (const [what, room] of [
    ['alone', FULL],
    ['beside the panel', BESIDE_PANEL],
  ] as const) {
    for (const start of ['LR', 'TB'] as const) {
      const d = chooseDirection(layout, room, start);
      const p = layout(d);
      assert.ok(
        fits(p, room),
        `${what} (from ${start}): the ${d} drawing (${p.width}x${p.height}) does not fit ${room.width}x${room.height}`,
      );
      assert.ok(fitScale(p.width, p.height, room) >= MIN_SCALE);
    }
  }
  // every edge and node is placed inside the drawing
  for (const d of ['LR', 'TB'] as const) {
    const p = layout(d);
    for (const n of p.nodes)
      assert.ok(n.x >= 0 && n.y >= 0 && n.x + n.width <= p.width && n.y + n.height <= p.height, `${d}: ${n.node.id}`);
  }
});

test('graph: fitScale never enlarges nor goes below the readable minimum; the direction holds near a tie', () => {
  assert.equal(fitScale(400, 300, { width: 2000, height: 2000 }), 1);
  assert.equal(fitScale(4000, 300, { width: 800, height: 600 }), MIN_SCALE);
  assert.equal(fitScale(1000, 300, { width: 800, height: 600 }), 0.8);
  assert.equal(fitScale(0, 0, { width: 800, height: 600 }), 1);
  const box = (width: number, height: number) => ({ nodes: [], edges: [], groups: [], width, height });
  const near = (d: Direction) => (d === 'LR' ? box(1000, 100) : box(100, 980)); // TB 2 % better in a square room
  assert.equal(chooseDirection(near, { width: 800, height: 800 }, 'LR'), 'LR');
  assert.equal(chooseDirection(near, { width: 800, height: 800 }, 'TB'), 'TB');
  const wide = (d: Direction) => (d === 'LR' ? box(1600, 300) : box(700, 800));
  assert.equal(chooseDirection(wide, { width: 850, height: 630 }, 'LR'), 'TB');
  assert.equal(chooseDirection(wide, { width: 2000, height: 1000 }, 'TB'), 'TB', 'a drawing that fits at full size stays as it is');
});
