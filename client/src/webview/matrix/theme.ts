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
    // blue and orange (not green and red: told apart with every colour vision), plus a symbol in each cell
    all: cssVar('--vscode-charts-blue', '#3794ff'),
    some: cssVar('--vscode-charts-orange', '#d18616'),
    none: cssVar('--vscode-descriptionForeground', '#999999'),
    self: cssVar('--vscode-disabledForeground', '#888888'),
    hover: cssVar('--vscode-list-hoverBackground', 'rgba(128,128,128,0.2)'),
    focus: cssVar('--vscode-focusBorder', '#007fd4'),
    // the changes overlay: the colours of git's decorations (Explorer, Changes view), each with its own symbol
    added: cssVar('--vscode-gitDecoration-addedResourceForeground', '#81b88b'),
    removed: cssVar('--vscode-gitDecoration-deletedResourceForeground', '#c74e39'),
    changed: cssVar('--vscode-gitDecoration-modifiedResourceForeground', '#e2c08d'),
    font: cssVar('--vscode-font-family', 'sans-serif'),
    fontSize: parseFloat(cssVar('--vscode-font-size', '13')) || 13,
  };
}
