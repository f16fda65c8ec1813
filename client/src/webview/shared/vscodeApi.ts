// A webview's handle on VS Code, typed by the messages it posts and the state it keeps: each webview
// (matrix, graph) binds it once to its own types in its vscodeApi.ts.
interface VsCodeApi<Message, State> {
  postMessage(message: Message): void;
  getState(): State | undefined;
  setState(state: State): void;
}

/** Injected by VS Code into every webview; callable once per page load. */
declare function acquireVsCodeApi(): VsCodeApi<unknown, unknown>;

export interface WebviewHandle<Message, State> {
  post(message: Message): void;
  /** the state saved by the previous instance of this webview (empty on first open) */
  saved: State;
  saveState(state: State): void;
}

export function bindVsCodeApi<Message, State extends object>(): WebviewHandle<Message, State> {
  const api = acquireVsCodeApi() as VsCodeApi<Message, State>;
  return {
    post: (message) => api.postMessage(message),
    saved: api.getState() || ({} as State),
    saveState: (state) => api.setState(state),
  };
}
