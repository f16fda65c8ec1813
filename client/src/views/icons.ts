// The icons (codicons with theme colours) the NetLens views use for allowed / blocked / isolated.
import * as vscode from 'vscode';

const icon = (id: string, color?: string): vscode.ThemeIcon =>
  color ? new vscode.ThemeIcon(id, new vscode.ThemeColor(color)) : new vscode.ThemeIcon(id);

export const Icons = {
  /** every port allowed */
  allowedAll: icon('pass-filled', 'charts.green'),
  /** some ports allowed */
  allowedSome: icon('pass', 'charts.yellow'),
  blocked: icon('error', 'charts.red'),
  /** a workload some policy isolates (ingress and/or egress) */
  isolated: icon('shield', 'charts.blue'),
  /** a workload no policy selects: all traffic allowed */
  open: icon('unlock', 'charts.green'),
  hostNetwork: icon('server', 'charts.purple'),
  namespace: icon('symbol-namespace'),
  namespaceUndeclared: icon('symbol-namespace', 'disabledForeground'),
  policy: icon('shield'),
  policyIdle: icon('shield', 'list.warningForeground'),
  canReach: icon('arrow-right'),
  reachableFrom: icon('arrow-left'),
  policies: icon('shield'),
  services: icon('plug'),
  selects: icon('target'),
  ingressRule: icon('arrow-left'),
  egressRule: icon('arrow-right'),
  peer: icon('symbol-field'),
  info: icon('info'),
  warning: icon('warning', 'list.warningForeground'),
  error: icon('error', 'list.errorForeground'),
};
