// The DevTools page only creates the "SSE" panel; the panel page does the rest.
chrome.devtools.panels.create('SSE', '', 'panel/index.html');
