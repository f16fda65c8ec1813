// The Calico selector language: parse, evaluate, format, describe. Pure; see ast.ts for the types.
export type {
  CalicoCompareOp,
  CalicoParseError,
  CalicoParseFailure,
  CalicoParseOk,
  CalicoParseResult,
  CalicoSelector,
  CalicoSetOp,
  CalicoSpan,
} from './ast';
export { parseCalicoSelector } from './parser';
export { evaluateCalicoSelector, calicoSelectorKeys, calicoSelectorUsesGlobal, type CalicoSelectorContext } from './evaluate';
export { formatCalicoSelector } from './format';
export { describeCalicoSelector } from './describe';
