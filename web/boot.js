// Starts the app. A separate file, not an inline script, so the Content-Security-Policy
// can forbid inline scripts.
import init from './web.js';
// The session is restored from the refresh cookie while the app downloads, not after:
// on a slow network that is a round trip less before a signed-in screen shows. The app
// takes this answer as its first refresh (RESTORE_AT_BOOT in session.rs).
window.harbourRestore = fetch('/api/v1/auth/refresh', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
window.harbourRestore.catch(() => { /* offline: the app reads the same rejection */ });
init({ module_or_path: new URL('./web_bg.wasm', import.meta.url) });
if ('serviceWorker' in navigator) {
  navigator.serviceWorker.register('/sw.js').catch(() => { /* the app works without it, just not offline */ });
}
