// `- namespaceSelector: ...` followed by `- podSelector: ...` is two peers (OR): every pod of those
// namespaces, plus matching pods of the policy's own namespace. One peer with both (AND) is what
// such rules usually mean; the difference is one dash.
import type { Finding } from '../../model/types';
import type { LintRule } from '../rules';

export const peersMaybeAnd: LintRule = {
  codes: ['peers-maybe-and'],
  check(_model, cx, scope) {
    const out: Finding[] = [];
    for (const p of cx.subjects(scope).policies) {
      for (const [dir, rules] of [
        ['from', p.ingress],
        ['to', p.egress],
      ] as const) {
        for (const rule of rules) {
          const peers = rule.peers ?? [];
          for (let i = 0; i + 1 < peers.length; i++) {
            const a = peers[i];
            const b = peers[i + 1];
            const nsOnly = (x: typeof a) =>
              !!x.namespaceSelector && !x.podSelector && !x.ipBlock && x.namespaceSelector.requirements.length > 0;
            const podOnly = (x: typeof a) => !!x.podSelector && !x.namespaceSelector && !x.ipBlock && x.podSelector.requirements.length > 0;
            if (!((nsOnly(a) && podOnly(b)) || (podOnly(a) && nsOnly(b)))) continue;
            const ns = nsOnly(a) ? a : b;
            const pod = nsOnly(a) ? b : a;
            out.push({
              code: 'peers-maybe-and',
              severity: 'info',
              ref: { uri: a.ref.uri, start: a.ref.start, end: b.ref.end },
              message: `these are two peers (OR): all pods in namespaces ${ns.namespaceSelector!.text}, or pods ${pod.podSelector!.text} in ${p.namespace}. If you meant pods ${pod.podSelector!.text} in those namespaces, make them one peer (remove the second "-")`,
              data: { policy: p.id, direction: dir, rule: rule.index, first: i },
            });
          }
        }
      }
    }
    return out;
  },
};
