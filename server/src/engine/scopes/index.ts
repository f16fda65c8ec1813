// Analysis scopes: detection, rendering (Kustomize natively, Helm through a plugged-in renderer), the
// render cache, and the map from rendered objects back to their sources.
export { analysable, chooseScope } from './choose';
export { detectScopes, isValuesFile, LOOSE_SCOPE, relativeToRoots } from './detect';
export { KustomizeRenderCache } from './renderCache';
export { OriginMap } from './origin';
export { helmScopeRender } from './helmOutput';
export {
  HELM_NOT_RENDERED,
  isVirtualUri,
  kustomizeScopeRender,
  renderedView,
  SCOPE_URI_SCHEME,
  viewScope,
  virtualUriOf,
  type RenderedObject,
  type ScopeView,
} from './view';
export type { HelmRenderer, MappedRef, Scope, ScopeFile, ScopeInput, ScopeKind, ScopeRender, SourceOrigin } from './types';
export {
  applyScopeConfig,
  configureScopes,
  parseScopeConfig,
  scopeEntriesFromSetting,
  SCOPE_CONFIG,
  SCOPE_CONFIG_FILE,
  SCOPE_SETTING_URI,
  type ScopeConfigEntry,
  type ScopeConfigSource,
} from './config';
