// Tree rows are named by what they show (WCAG 2.5.3), not by their tooltip.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { namedByVisibleText, visibleText } from '../../client/src/views/accessibleName';

test('the accessible name is the label, then the description, as drawn', () => {
  assert.equal(visibleText({ label: 'payments', description: '1 workload' }), 'payments 1 workload');
  assert.equal(visibleText({ label: { label: 'cart' }, description: 'TCP 7070 · web-tier' }), 'cart TCP 7070 · web-tier');
});

test('no description (or a boolean one) leaves the label alone', () => {
  assert.equal(visibleText({ label: 'Selects' }), 'Selects');
  assert.equal(visibleText({ label: 'Selects', description: true }), 'Selects');
  assert.equal(visibleText({ label: 'Selects', description: '' }), 'Selects');
});

test('a string tooltip no longer becomes the name', () => {
  const row: { label: string; description: string; tooltip: string; accessibilityInformation?: { label: string } } = {
    label: 'shop/web-tier',
    description: 'Ingress',
    tooltip: 'shop/web-tier isolates frontend for Ingress traffic',
  };
  const item = namedByVisibleText(row);
  assert.deepEqual(item.accessibilityInformation, { label: 'shop/web-tier Ingress' });
  assert.equal(item.tooltip, 'shop/web-tier isolates frontend for Ingress traffic');
});
