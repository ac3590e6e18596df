import { createRoot } from 'react-dom/client';
import { App } from './App';
import { inspectedTabId, linkToBackground } from './background-link';
import { linkOverrides } from './overrides';
import { followTheme } from './theme';
import './panel.css';

const tabId = inspectedTabId();
const root = document.getElementById('root');
followTheme(document.documentElement);
document.documentElement.lang = globalThis.chrome?.i18n?.getUILanguage?.() ?? 'en';
if (root) {
  if (tabId !== null) {
    linkToBackground(tabId);
    linkOverrides(tabId);
  }
  createRoot(root).render(<App tabId={tabId} />);
}
