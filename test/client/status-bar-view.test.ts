// The status bar item: counts always; the scope (from netlens/status) only when there are several, and
// then a click picks another scope; with one scope a click shows the NetLens views.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type * as P from '../../protocol/messages';
import { FOCUS_VIEW_COMMAND, SELECT_SCOPE_COMMAND, statusBarView } from '../../client/src/statusBarView';

function status(over: Partial<P.StatusResult>): P.StatusResult {
  return {
    indexing: false,
    version: 3,
    files: 12,
    workloads: 5,
    policies: 4,
    services: 3,
    findings: { error: 2, warning: 1, info: 0 },
    findingsUpToDate: true,
    cni: null,
    clusterDomain: { domain: 'cluster.local', origin: 'default' },
    hostNetwork: 'node',
    skipped: 0,
    kubernetes: true,
    workspaceTrusted: true,
    scope: 'loose',
    scopeCount: 1,
    ...over,
  } as P.StatusResult;
}

test('one scope: counts only, a click shows the views', () => {
  const v = statusBarView(status({}));
  assert.equal(v.text, '$(shield) NetLens  $(error) 2 $(warning) 1');
  assert.equal(v.command.command, FOCUS_VIEW_COMMAND);
  assert.doesNotMatch(v.tooltip, /loose|Scope/);
});

test('several scopes: the active one is named, a click runs netlens.selectScope', () => {
  const v = statusBarView(status({ scope: 'kustomize:overlays/prod', scopeCount: 3 }));
  assert.equal(v.text, '$(shield) NetLens: kustomize:overlays/prod  $(error) 2 $(warning) 1');
  assert.equal(v.command.command, SELECT_SCOPE_COMMAND);
  assert.equal(SELECT_SCOPE_COMMAND, 'netlens.selectScope');
  assert.match(v.tooltip, /Scope: kustomize:overlays\/prod \(3 scopes/);
});

test('a scope named in .netlens.yaml shows by its name, the id in the tooltip', () => {
  const v = statusBarView(status({ scope: 'kustomize:overlays/prod', scopeName: 'Production', scopeCount: 3 }));
  assert.equal(v.text, '$(shield) NetLens: Production  $(error) 2 $(warning) 1');
  assert.match(v.tooltip, /Scope: Production \(kustomize:overlays\/prod\) \(3 scopes/);
});

test('counts being recounted show a spinner and say so', () => {
  const v = statusBarView(status({ findingsUpToDate: false }));
  assert.match(v.text, /\$\(sync~spin\)$/);
  assert.match(v.tooltip, /counting…/);
});
