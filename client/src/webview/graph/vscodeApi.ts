// The webview's handle on VS Code: posting typed messages to the panel and keeping the view state.
import type { FromWebview, SavedState } from './messages';

interface VsCodeApi {
  postMessage(message: FromWebview): void;
  getState(): SavedState | undefined;
  setState(state: SavedState): void;
}

/** Injected by VS Code into every webview; callable once per page load. */
declare function acquireVsCodeApi(): VsCodeApi;

const api = acquireVsCodeApi();

export function post(message: FromWebview): void {
  api.postMessage(message);
}

export const saved: SavedState = api.getState() || {};

export function saveState(state: SavedState): void {
  api.setState(state);
}
