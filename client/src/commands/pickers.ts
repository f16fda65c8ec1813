// The quick picks and input boxes of the interactive commands: workloads, a destination (workload or a
// typed DNS name / IP), a port and a protocol. Each returns undefined when the user cancels.
import * as vscode from 'vscode';
import { compareNames } from '../compare';
import type * as P from '../../../protocol/messages';
import type { Ctx } from '../ctx';

const PROTOCOLS = ['TCP', 'UDP', 'SCTP'] as const;
export type Protocol = (typeof PROTOCOLS)[number];

interface WorkloadItem extends vscode.QuickPickItem {
  id: string;
}

export interface Step {
  title: string;
  step?: number;
  totalSteps?: number;
}

async function allWorkloads(ctx: Ctx): Promise<P.WorkloadSummary[]> {
  const r = await ctx.client.namespaces();
  return r.namespaces.flatMap((n) => n.workloads).sort((a, b) => compareNames(a.namespace, b.namespace) || compareNames(a.name, b.name));
}

function workloadItems(ws: P.WorkloadSummary[]): WorkloadItem[] {
  const items: WorkloadItem[] = [];
  let ns: string | undefined;
  for (const w of ws) {
    if (w.namespace !== ns) {
      ns = w.namespace;
      items.push({ id: '', label: w.namespace, kind: vscode.QuickPickItemKind.Separator });
    }
    items.push({ id: w.id, label: w.name, description: `${w.namespace} · ${w.kind}`, iconPath: new vscode.ThemeIcon('symbol-class') });
  }
  return items;
}

/** A workload id, picked from every workload of the workspace. */
export async function pickWorkload(ctx: Ctx, step: Step & { placeHolder: string }): Promise<string | undefined> {
  const ws = await allWorkloads(ctx);
  if (ws.length === 0) {
    void vscode.window.showInformationMessage('NetLens found no workloads in this workspace.');
    return undefined;
  }
  const qp = vscode.window.createQuickPick<WorkloadItem>();
  applyStep(qp, step);
  qp.placeholder = step.placeHolder;
  qp.matchOnDescription = true;
  qp.items = workloadItems(ws);
  const picked = await run(qp, () => qp.selectedItems[0]?.id);
  return picked || undefined;
}

/** A destination: a workload id, or whatever the user typed (a DNS name as the source resolves it, or an IP). */
export async function pickDestination(ctx: Ctx, step: Step & { exclude?: string }): Promise<string | undefined> {
  const ws = (await allWorkloads(ctx)).filter((w) => w.id !== step.exclude);
  const base = workloadItems(ws);
  const qp = vscode.window.createQuickPick<WorkloadItem>();
  applyStep(qp, step);
  qp.placeholder = 'Pick a workload, or type a DNS name (payments-api, payments-api.payments.svc) or an IP';
  qp.matchOnDescription = true;
  qp.items = base;
  qp.onDidChangeValue((value) => {
    const v = value.trim();
    const typed: WorkloadItem[] = v
      ? [
          {
            id: `typed:${v}`,
            label: `Use "${v}"`,
            description: 'as a DNS name or IP, resolved from the source pod',
            iconPath: new vscode.ThemeIcon('globe'),
            alwaysShow: true,
          },
        ]
      : [];
    // after the workloads: typing a workload's name still picks the workload; anything else picks the name
    qp.items = [...base, ...typed];
  });
  const picked = await run(qp, () => qp.selectedItems[0]?.id ?? (qp.value.trim() ? `typed:${qp.value.trim()}` : undefined));
  if (!picked) return undefined;
  return picked.startsWith('typed:') ? picked.slice('typed:'.length) : picked;
}

/** A port number, or null for "any port"; undefined when cancelled. */
export async function pickPort(step: Step): Promise<number | null | undefined> {
  const text = await vscode.window.showInputBox({
    title: stepTitle(step),
    prompt: 'Port (empty: any port the policies allow). For a Service name, the Service port.',
    placeHolder: 'e.g. 8080',
    ignoreFocusOut: true,
    validateInput: (v) => (v.trim() === '' || parsePort(v) !== undefined ? undefined : 'A number from 1 to 65535, or empty'),
  });
  if (text === undefined) return undefined;
  return text.trim() === '' ? null : (parsePort(text) ?? null);
}

export async function pickProtocol(step: Step): Promise<Protocol | undefined> {
  const items = PROTOCOLS.map((p) => ({ label: p, description: p === 'TCP' ? 'default' : '' }));
  const picked = await vscode.window.showQuickPick(items, { title: stepTitle(step), placeHolder: 'Protocol', ignoreFocusOut: true });
  return picked?.label as Protocol | undefined;
}

export function parsePort(v: unknown): number | undefined {
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^\s*\d+\s*$/.test(v) ? Number(v) : NaN;
  return Number.isInteger(n) && n >= 1 && n <= 65535 ? n : undefined;
}

export function parseProtocol(v: unknown): Protocol | undefined {
  if (typeof v !== 'string') return undefined;
  const u = v.toUpperCase();
  return (PROTOCOLS as readonly string[]).includes(u) ? (u as Protocol) : undefined;
}

function stepTitle(s: Step): string {
  return s.step && s.totalSteps ? `${s.title} (${s.step}/${s.totalSteps})` : s.title;
}

function applyStep(qp: vscode.QuickPick<WorkloadItem>, s: Step): void {
  qp.title = s.title;
  if (s.step) qp.step = s.step;
  if (s.totalSteps) qp.totalSteps = s.totalSteps;
  qp.ignoreFocusOut = true;
}

function run<T>(qp: vscode.QuickPick<WorkloadItem>, accept: () => T | undefined): Promise<T | undefined> {
  return new Promise((resolve) => {
    let done = false;
    const finish = (v: T | undefined): void => {
      if (done) return;
      done = true;
      resolve(v);
      qp.dispose();
    };
    qp.onDidAccept(() => finish(accept()));
    qp.onDidHide(() => finish(undefined));
    qp.show();
  });
}
