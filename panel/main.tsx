import { createRoot } from 'react-dom/client';
import { App } from './App';
import { inspectedTabId, linkToBackground } from './background-link';
import './panel.css';

const tabId = inspectedTabId();
const root = document.getElementById('root');
if (root) {
  if (tabId !== null) linkToBackground(tabId);
  createRoot(root).render(<App tabId={tabId} />);
}
