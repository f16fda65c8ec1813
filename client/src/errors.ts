// Errors from background work (tree, status, follow-the-editor, matrix refresh) go to the output
// channel every time and to the user once: one notification per distinct message, never two at a time.
import * as vscode from 'vscode';

const SHOW_OUTPUT = 'Show Output';
/** LSP error codes that are not worth telling anyone about. */
const QUIET_CODES = new Set([-32800 /* RequestCancelled */, -32801 /* ContentModified */]);

export function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message;
  if (typeof err === 'string') return err;
  try {
    return JSON.stringify(err);
  } catch {
    return String(err);
  }
}

export function isQuiet(err: unknown): boolean {
  if (err instanceof vscode.CancellationError) return true;
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'number' && QUIET_CODES.has(code);
}

export class ErrorReporter {
  private readonly shown = new Set<string>();
  private open = false;

  constructor(private readonly output: vscode.LogOutputChannel) {}

  /** Logs `err` (with what was being done) and notifies the user the first time this message occurs. */
  report(doing: string, err: unknown): void {
    if (isQuiet(err)) return;
    const message = errorMessage(err);
    this.output.error(`${doing}: ${message}`);
    if (this.shown.has(message) || this.open) return;
    this.shown.add(message);
    this.open = true;
    void vscode.window.showErrorMessage(`NetLens: ${doing} failed: ${message}`, SHOW_OUTPUT).then(
      (choice) => {
        this.open = false;
        if (choice === SHOW_OUTPUT) this.output.show(true);
      },
      () => {
        this.open = false;
      },
    );
  }

  /** Logs only (for errors the user already sees some other way). */
  log(doing: string, err: unknown): void {
    if (!isQuiet(err)) this.output.error(`${doing}: ${errorMessage(err)}`);
  }

  /** Forget what was shown (after a restart the user wants to hear about problems again). */
  reset(): void {
    this.shown.clear();
  }
}
