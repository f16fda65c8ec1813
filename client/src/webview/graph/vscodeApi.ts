// This webview's handle on VS Code: posting its typed messages to the panel and keeping its view state.
import type { FromWebview, SavedState } from './messages';
import { bindVsCodeApi } from '../shared/vscodeApi';

export const { post, saved, saveState } = bindVsCodeApi<FromWebview, SavedState>();
