// stenose serve --watch: reloads this tab when the content changes, and
// keeps its scroll position. Served only in watch mode (CSP: a file of
// its own, no inline script; styles set through the CSSOM).
(() => {
  'use strict';
  const me = document.currentScript;
  const version = me ? me.dataset.version : '';
  const key = 'stenose-preview-scroll:' + location.pathname;
  const y = sessionStorage.getItem(key);
  if (y !== null) {
    sessionStorage.removeItem(key);
    addEventListener('DOMContentLoaded', () => window.scrollTo(0, Number(y)));
  }
  addEventListener('DOMContentLoaded', () => {
    const box = document.getElementById('stenose-preview-problems');
    if (!box) return;
    Object.assign(box.style, {
      background: '#fff4e5', color: '#1a1a1a', borderBottom: '3px solid #b3261e',
      padding: '0.75rem 1rem', fontSize: '1.125rem', lineHeight: '1.5', // 18 px at least, as all body text
    });
    for (const c of box.querySelectorAll('code')) Object.assign(c.style, { whiteSpace: 'pre-wrap', overflowWrap: 'anywhere', fontSize: '1em' });
  });
  const events = new EventSource('/_preview/events');
  events.addEventListener('version', (e) => {
    if (e.data !== version) {
      sessionStorage.setItem(key, String(window.scrollY));
      events.close();
      location.reload();
    }
  });
})();
