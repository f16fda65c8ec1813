import { parseArgs, opt, UsageError } from '../args';
import { exposureAnalysis } from '../../engine/reachability/exposure';
import { exposureJson, exposureMarkdown, exposureText } from '../../engine/report/exposureReport';
import { loadModel } from '../load';
import { computeMatrix } from '../../engine/reachability/matrix';
import { MATRIX_FORMATS, renderMatrix, type MatrixFormat } from '../../engine/report/matrixFormats';
import { clusterDomainOf } from '../../engine/dns/clusterDomain';
import type { CommandContext } from '../context';

export const matrixHelp = `usage: netlens [global options] matrix [--format json|text|md|csv|dot|stats] [--exposure] PATH...

Prints who can reach whom: every ordered pair of distinct workloads with the ports allowed
(source egress AND destination ingress). Pairs with nothing allowed are left out.
  --format F   json (default; see docs/cli.md), text (np-guard style "a => b : TCP 80"),
               md, csv, dot (namespaces as clusters), stats (counts only, for large inputs)
  --exposure   also what each workload's policies grant to pods not in the manifests, as np-guard's
               exposure analysis: representative peers (entire-cluster, [namespace with {..}]/[all pods],
               [all namespaces]/[pod with {..}], ...), IP ranges, and the workloads no policy protects
               per direction (json, text and md)`;

export async function runMatrix(argv: string[], cx: CommandContext): Promise<number> {
  const a = parseArgs(argv, { '--format': { value: true, choices: MATRIX_FORMATS }, '--exposure': {} });
  const exposure = a.options.has('--exposure');
  const format = (opt(a, '--format') ?? 'json') as MatrixFormat;
  if (exposure && !['json', 'text', 'md'].includes(format))
    throw new UsageError(`--exposure works with --format json, text or md, not ${format}`);
  const { model, locator } = await loadModel(a.positionals, cx);
  cx.reportSkips(model, locator);
  const matrix = computeMatrix(model);
  const pieces = renderMatrix(format, model, matrix, clusterDomainOf(model).domain, locator);
  if (exposure) {
    // the exposure report joins the matrix's own text (json: one object), so that text is built whole
    const rendered = [...pieces].join('');
    const report = exposureAnalysis(model, matrix.index);
    if (format === 'json')
      cx.out(`${JSON.stringify({ ...JSON.parse(rendered), exposure: exposureJson(report) }, null, 1)}
`);
    else
      cx.out(
        rendered +
          (format === 'md'
            ? `
${exposureMarkdown(report)}`
            : exposureText(report)),
      );
    return 0;
  }
  // written in pieces of about 64 KB: the whole text of a large matrix does not fit in one string
  let buffered = '';
  for (const piece of pieces) {
    buffered += piece;
    if (buffered.length >= 65536) {
      cx.out(buffered);
      buffered = '';
    }
  }
  if (buffered) cx.out(buffered);
  return 0;
}
