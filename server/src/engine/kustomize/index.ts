// The Kustomize renderer's entry points.
export { renderKustomization } from './render';
export { newRenderMemo, printStream, type RenderMemo } from './print';
export { KUSTOMIZATION_FILE_NAMES, KUSTOMIZE_ERROR, KUSTOMIZE_UNSUPPORTED } from './kustomizationFile';
export type { KustomizeFs, ObjectOrigin, RenderedObject, RenderResult } from './types';
