// Calico (projectcalico.org/v3) policies: not enforced by the detected plugin, selecting no workload,
// or passing traffic on where no later tier has a policy for those pods (the profile then decides).
import type { Finding, Model } from '../../model/types';
import type { LintRule } from '../rules';
import { cniEvidence, effectiveCni } from '../../cni/effective';
import { calicoEnforced, calicoPolicySelects, calicoTiers } from '../../policy/calico';
import type { CalicoPolicy } from '../../model/calico/types';
import { policySelects } from '../../policy/semantics';
import { adminSubjectMatches } from '../../policy/admin';

function selected(model: Model, p: CalicoPolicy) {
  return model.workloads.filter((w) => calicoPolicySelects(model, p, w));
}

export const calicoPolicies: LintRule = {
  codes: ['calico-policy-not-enforced', 'calico-policy-selects-nothing', 'calico-pass-to-profile'],
  check(model) {
    const c = model.calico;
    if (!c) return [];
    if (!calicoEnforced(model)) {
      const cni = effectiveCni(model)!;
      return c.policies.map((p): Finding => {
        const f: Finding = {
          code: 'calico-policy-not-enforced',
          severity: 'warning',
          ref: p.kindRef,
          message: `the network plugin ${cni.plugin} (from ${cniEvidence(cni)}) is not Calico: ${p.kind} ${p.name} (projectcalico.org) has no effect there, so NetLens leaves it out of the analysis`,
        };
        if (cni.ref) f.related = [{ ref: cni.ref, message: `${cni.plugin} is detected here` }];
        return f;
      });
    }
    const out: Finding[] = [];
    const tiers = calicoTiers(model);
    for (const p of c.policies) {
      const pods = selected(model, p);
      if (pods.length === 0) {
        out.push({
          code: 'calico-policy-selects-nothing',
          severity: 'warning',
          ref: p.selector.ref,
          message: `${p.kind} ${p.name} selects no workload of the workspace (selector ${p.selector.text || 'all()'}${p.namespace !== undefined ? ` in namespace ${p.namespace}` : ''}${p.serviceAccountSelector ? `, serviceAccountSelector ${p.serviceAccountSelector.text}` : ''})`,
        });
        continue;
      }
      // a Pass whose pods no policy of a later tier selects (for that direction) goes straight to the profile
      const at = tiers.findIndex((t) => t.layer === 'calico' && t.name === p.tier);
      const later = tiers.slice(at + 1);
      for (const dir of ['Ingress', 'Egress'] as const) {
        if (!p.types.includes(dir)) continue;
        const pass = (dir === 'Ingress' ? p.ingress : p.egress).find((r) => r.action === 'Pass');
        if (!pass) continue;
        const covered = pods.some((w) =>
          later.some((t) =>
            t.policies.some((e) =>
              e.kind === 'calico'
                ? e.policy.types.includes(dir) && calicoPolicySelects(model, e.policy, w)
                : e.kind === 'k8s'
                  ? e.policy.policyTypes.includes(dir) && policySelects(e.policy, w, model)
                  : adminSubjectMatches(e.policy, w, model),
            ),
          ),
        );
        if (!covered)
          out.push({
            code: 'calico-pass-to-profile',
            severity: 'info',
            ref: pass.ref,
            message: `${dir.toLowerCase()} rule ${pass.index + 1} of ${p.name} passes traffic on, but no later tier has an ${dir.toLowerCase()} policy for the pods it selects: the namespace profile decides (Calico's kns profiles allow everything)`,
          });
      }
    }
    return out;
  },
};
