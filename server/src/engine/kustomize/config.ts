// The field specs transformers use: kustomize's defaults plus a kustomization's `configurations:`
// files (custom kinds' label selectors, name references, var references), which apply upward too.
import { parseAllDocuments } from 'yaml';
import {
  COMMON_ANNOTATION_SPECS,
  COMMON_LABEL_SPECS,
  NAME_REFERENCES,
  VAR_REFERENCE_SPECS,
  type FieldSpec,
  type NameReference,
} from './fieldSpecs';
import { isObject } from './resource';
import type { Json } from './types';

export interface TransformerConfig {
  commonLabels: FieldSpec[];
  commonAnnotations: FieldSpec[];
  nameReference: NameReference[];
  varReference: FieldSpec[];
}

export function defaultConfig(): TransformerConfig {
  return {
    commonLabels: [...COMMON_LABEL_SPECS],
    commonAnnotations: [...COMMON_ANNOTATION_SPECS],
    nameReference: [...NAME_REFERENCES],
    varReference: [...VAR_REFERENCE_SPECS],
  };
}

export function emptyConfig(): TransformerConfig {
  return { commonLabels: [], commonAnnotations: [], nameReference: [], varReference: [] };
}

function readSpecs(v: Json | undefined): FieldSpec[] {
  if (!Array.isArray(v)) return [];
  return v.filter(isObject).flatMap((s) =>
    typeof s.path === 'string'
      ? [
          {
            path: s.path,
            kind: s.kind as string | undefined,
            group: s.group as string | undefined,
            version: s.version as string | undefined,
            create: s.create === true,
          },
        ]
      : [],
  );
}

/** Reads a configurations file; returns the config, or an error message. Unknown sections are listed in `ignored`. */
export function readConfigFile(text: string): { config: TransformerConfig; ignored: string[] } | string {
  const config = emptyConfig();
  const ignored: string[] = [];
  for (const d of parseAllDocuments(text) as Iterable<{ errors: { message: string }[]; toJS(): unknown }>) {
    if (d.errors.length) return d.errors[0].message;
    const v = d.toJS() as Json;
    if (!isObject(v)) continue;
    for (const [key, value] of Object.entries(v)) {
      if (key === 'commonLabels') config.commonLabels.push(...readSpecs(value));
      else if (key === 'commonAnnotations') config.commonAnnotations.push(...readSpecs(value));
      else if (key === 'varReference') config.varReference.push(...readSpecs(value));
      else if (key === 'nameReference' && Array.isArray(value))
        for (const n of value.filter(isObject))
          config.nameReference.push({
            kind: String(n.kind ?? ''),
            group: n.group === undefined ? undefined : String(n.group),
            referrers: readSpecs(n.fieldSpecs),
          });
      else ignored.push(key);
    }
  }
  return { config, ignored };
}

export function mergeConfig(into: TransformerConfig, from: TransformerConfig): void {
  into.commonLabels.push(...from.commonLabels);
  into.commonAnnotations.push(...from.commonAnnotations);
  into.nameReference.push(...from.nameReference);
  into.varReference.push(...from.varReference);
}
