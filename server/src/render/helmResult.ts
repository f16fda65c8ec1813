// The outcome of rendering one Helm chart with one values file.

export type HelmRenderCode = 'helm-error' | 'helm-dependency-missing' | 'helm-untrusted' | 'helm-not-found';

export type HelmRenderResult = { ok: true; yaml: string } | { ok: false; code: HelmRenderCode; message: string };
