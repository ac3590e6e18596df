import { createRoot } from 'react-dom/client';
import { Popup } from './Popup';
import './popup.css';

document.documentElement.lang = globalThis.chrome?.i18n?.getUILanguage?.() ?? 'en';
const root = document.getElementById('root');
if (root) createRoot(root).render(<Popup />);
