// The engine's HelmRenderer hook (engine/scopes) over the real `helm template` (helmRender.ts): a render
// becomes the scope's objects traced to their template files; a chart helm cannot render becomes one
// finding on its Chart.yaml with helm's reason (not found, untrusted, a missing dependency, a template error).
import type { Finding } from '../engine/model/types';
import { helmScopeRender, type HelmRenderer as ScopeHelmRenderer, type ScopeRender } from '../engine/scopes';
import type { HelmRenderCode, HelmRenderer } from './helmRender';

const SEVERITY: Record<HelmRenderCode, Finding['severity']> = {
  'helm-error': 'error',
  'helm-dependency-missing': 'warning',
  'helm-not-found': 'warning',
  'helm-untrusted': 'info',
};

/** A scope renderer over a helm renderer; `uriOf` turns paths into the URIs reports use. */
export function scopeHelmRenderer(render: HelmRenderer, uriOf: (path: string) => string): ScopeHelmRenderer {
  return async ({ chart, values }): Promise<ScopeRender> => {
    const r = await render(chart, values);
    if (r.ok) return helmScopeRender(r.yaml, chart, uriOf);
    return {
      objects: [],
      findings: [
        { code: r.code, severity: SEVERITY[r.code], message: r.message, ref: { uri: uriOf(`${chart}/Chart.yaml`), start: 0, end: 0 } },
      ],
    };
  };
}
