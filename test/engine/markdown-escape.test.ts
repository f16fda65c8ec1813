// Workspace text in hovers and tooltips stays text: hostile names (backticks, images, HTML, javascript:
// links, newlines) rendered by `marked` (VS Code's Markdown renderer; it passes HTML through) give no
// image, no link, no tag.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Marked } from 'marked';
import { mdCode, mdLink, mdText } from '../../protocol/markdown';
import { analyze } from '../../server/src/engine';
import { nodeAt } from '../../server/src/engine/report/nodeAt';
import { hoverMarkdown } from '../../server/src/engine/report/hovers';
import { computeMatrix } from '../../server/src/engine/reachability/matrix';
import { buildDnsIndex } from '../../server/src/engine/dns/records';

const marked = new Marked({ async: false, gfm: true });
const md = {
  render: (s: string) => marked.parse(s) as string,
  renderInline: (s: string) => marked.parseInline(s) as string,
};

const HOSTILE = [
  'a`b',
  '``x``',
  '`',
  '![x](http://evil/)',
  '<img src=http://evil/x.png>',
  '[link](javascript:alert(1))',
  'line1\nline2\n\n# heading\n- item',
  '<script>alert(1)</script>',
  '**bold** _em_ ~~s~~ &amp; &lt;',
  'trailing\\',
  'x` ![y](http://evil/) `z',
];

/** the text of rendered HTML, entities decoded */
const textOf = (html: string) =>
  html
    .replace(/<[^>]+>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .trim();

/** the tags of rendered HTML */
const tagsOf = (html: string) => [...html.matchAll(/<\/?([a-z0-9]+)/gi)].map((m) => m[1]!.toLowerCase());

for (const s of HOSTILE) {
  const oneLine = s.replace(/\n+/g, ' ');
  test(`mdCode keeps ${JSON.stringify(s)} in one code span`, () => {
    const html = md.renderInline(`before ${mdCode(s)} after`);
    assert.deepEqual(
      tagsOf(html).filter((t) => t !== 'code'),
      [],
      html,
    );
    assert.equal(tagsOf(html).filter((t) => t === 'code').length, 2, html); // <code> and </code>
    const inside = /<code>([\s\S]*)<\/code>/.exec(html)![1]!;
    assert.equal(textOf(inside), oneLine.trim(), html);
  });
  test(`mdText keeps ${JSON.stringify(s)} literal`, () => {
    const html = md.render(`before ${mdText(s)} after`);
    assert.deepEqual(
      tagsOf(html).filter((t) => t !== 'p'),
      [],
      html,
    );
    assert.equal(textOf(html), `before ${oneLine} after`.trim(), html);
  });
}

test('mdLink links only to document URIs, with a literal label', () => {
  for (const bad of [
    'javascript:alert(1)',
    'http://evil/',
    'https://evil/x',
    'data:text/html,x',
    'command:workbench.action.quit',
    'no scheme',
  ]) {
    const html = md.renderInline(mdLink('x', bad));
    assert.ok(!tagsOf(html).includes('a'), `${bad}: ${html}`);
  }
  const html = md.renderInline(mdLink('![x](http://evil/)', 'file:///w/a (1).yaml', 'L3,5'));
  assert.deepEqual(tagsOf(html), ['a', 'a'], html);
  assert.match(html, /href="file:\/\/\/w\/a%20%281%29\.yaml#L3,5"/);
  assert.equal(textOf(html), '![x](http://evil/)');
});

test('hovers over hostile names render no image, link or HTML of theirs', () => {
  const evil = '`![x](http://evil/x.png)` <img src=http://evil/y.png> [c](javascript:alert(1))';
  const text = [
    'apiVersion: networking.k8s.io/v1',
    'kind: NetworkPolicy',
    'metadata: {name: pol, namespace: ns}',
    'spec:',
    '  podSelector:',
    `    matchLabels: {app: ${JSON.stringify(evil)}}`,
    '  ingress:',
    `  - from: [{namespaceSelector: {matchLabels: {team: ${JSON.stringify(evil)}}}}]`,
    '    ports: [{port: 80}]',
    '---',
    'apiVersion: v1',
    'kind: Pod',
    `metadata: {name: p, namespace: ns, labels: {app: ${JSON.stringify(evil)}}}`,
    'spec: {containers: [{name: c, image: i}]}',
  ].join('\n');
  const uri = 'file:///w/a.yaml';
  const model = analyze([{ uri, text }]);
  const cx = {
    model,
    matrix: computeMatrix(model),
    dns: buildDnsIndex(model, 'cluster.local'),
    link: (label: string) => mdCode(label),
    code: mdCode,
    text: mdText,
  };
  let hovers = 0;
  const kinds = new Set<string>();
  for (let offset = 0; offset < text.length; offset++) {
    const hit = nodeAt(model, uri, offset);
    if (!hit || kinds.has(hit.kind)) continue;
    kinds.add(hit.kind);
    const h = hoverMarkdown(hit, cx);
    if (!h) continue;
    hovers++;
    const html = md.render(h);
    for (const tag of tagsOf(html)) assert.ok(!['img', 'a', 'script'].includes(tag), `<${tag}> in the ${hit.kind} hover:\n${h}\n${html}`);
  }
  assert.ok(hovers >= 4, `hovers rendered: ${hovers} (${[...kinds].join(', ')})`);
});
