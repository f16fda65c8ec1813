// Reads the colours and font of the current VS Code theme from the webview's CSS variables.
import { state } from './state';

function cssVar(name: string, fallback: string): string {
  const v = getComputedStyle(document.body).getPropertyValue(name).trim();
  return v || fallback;
}

export function readColors(): void {
  state.colors = {
    bg: cssVar('--vscode-editor-background', '#1e1e1e'),
    fg: cssVar('--vscode-editor-foreground', '#cccccc'),
    muted: cssVar('--vscode-descriptionForeground', '#999999'),
    header: cssVar('--vscode-sideBar-background', cssVar('--vscode-editor-background', '#252526')),
    grid: cssVar('--vscode-editorWidget-border', cssVar('--vscode-panel-border', '#444444')),
    group: cssVar('--vscode-editorRuler-foreground', cssVar('--vscode-foreground', '#888888')),
    all: cssVar('--vscode-charts-green', '#89d185'),
    some: cssVar('--vscode-charts-yellow', '#cca700'),
    none: cssVar('--vscode-charts-red', '#f14c4c'),
    self: cssVar('--vscode-disabledForeground', '#888888'),
    hover: cssVar('--vscode-list-hoverBackground', 'rgba(128,128,128,0.2)'),
    focus: cssVar('--vscode-focusBorder', '#007fd4'),
    font: cssVar('--vscode-font-family', 'sans-serif'),
    fontSize: parseFloat(cssVar('--vscode-font-size', '13')) || 13,
  };
}
