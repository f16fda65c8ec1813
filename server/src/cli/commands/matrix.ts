import { parseArgs, opt } from '../args';
import { loadModel } from '../load';
import { computeMatrix } from '../../engine/reachability/matrix';
import { MATRIX_FORMATS, renderMatrix, type MatrixFormat } from '../../engine/report/matrixFormats';
import { clusterDomainOf } from '../../engine/dns/clusterDomain';
import type { CommandContext } from '../context';

export const matrixHelp = `usage: netlens [global options] matrix [--format json|text|md|csv|dot|stats] PATH...

Prints who can reach whom: every ordered pair of distinct workloads with the ports allowed
(source egress AND destination ingress). Pairs with nothing allowed are left out.
  --format F   json (default; see docs/cli.md), text (np-guard style "a => b : TCP 80"),
               md, csv, dot (namespaces as clusters), stats (counts only, for large inputs)`;

export async function runMatrix(argv: string[], cx: CommandContext): Promise<number> {
  const a = parseArgs(argv, { '--format': { value: true, choices: MATRIX_FORMATS } });
  const { model, locator } = await loadModel(a.positionals, cx);
  cx.reportSkips(model, locator);
  const matrix = computeMatrix(model);
  const format = (opt(a, '--format') ?? 'json') as MatrixFormat;
  // written in pieces of about 64 KB: the whole text of a large matrix does not fit in one string
  let buffered = '';
  for (const piece of renderMatrix(format, model, matrix, clusterDomainOf(model).domain, locator)) {
    buffered += piece;
    if (buffered.length >= 65536) {
      cx.out(buffered);
      buffered = '';
    }
  }
  if (buffered) cx.out(buffered);
  return 0;
}
