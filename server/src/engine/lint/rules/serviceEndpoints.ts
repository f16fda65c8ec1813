// A Service whose selector matches no pod has no endpoints; a named targetPort missing on its
// pods makes those pods no endpoint for that port.
import type { Finding } from '../../model/types';
import type { LintRule } from '../rules';
import { lookup } from '../../model/lookup';
import { serviceRequirements, unknownValueRequirements } from './labelValueUnknown';
import { serviceEndpoints, targetPortFor } from '../../dns/endpoints';

export const serviceEndpointsRule: LintRule = {
  codes: ['service-no-pods', 'service-targetport-missing'],
  check(model, cx, scope) {
    const out: Finding[] = [];
    const l = lookup(model);
    for (const s of cx.subjects(scope).services) {
      if (!s.selector || s.type === 'ExternalName') continue;
      const pods = serviceEndpoints(model, s);
      if (pods.length === 0) {
        if (l.workloadsIn(s.namespace).length === 0) continue;
        if (unknownValueRequirements(model, serviceRequirements(s.selector)).length > 0) continue; // label-value-unknown says why
        const sel = Object.entries(s.selector)
          .map(([k, v]) => `${k}=${v}`)
          .join(',');
        out.push({
          code: 'service-no-pods',
          severity: 'warning',
          ref: s.selectorRef ?? s.ref,
          message: `Service ${s.id} selects no pods in namespace ${s.namespace} (selector ${sel}), so it has no endpoints`,
        });
        continue;
      }
      for (const sp of s.ports) {
        if (typeof sp.targetPort !== 'string') continue;
        const missing = pods.filter((w) => targetPortFor(sp, w) === undefined);
        if (missing.length === 0) continue;
        out.push({
          code: 'service-targetport-missing',
          severity: missing.length === pods.length ? 'error' : 'warning',
          ref: sp.ref,
          message: `targetPort "${sp.targetPort}" is not a ${sp.protocol} container port of ${missing
            .map((w) => w.id)
            .slice(0, 3)
            .join(
              ', ',
            )}${missing.length > 3 ? ` and ${missing.length - 3} more` : ''}; ${missing.length === pods.length ? 'the port has no endpoints' : 'those pods get no traffic on this port'}`,
        });
      }
    }
    return out;
  },
};
