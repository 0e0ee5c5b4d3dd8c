// Starts the app. A separate file, not an inline script, so the Content-Security-Policy
// can forbid inline scripts.
import init from './web.js';
init({ module_or_path: new URL('./web_bg.wasm', import.meta.url) });
if ('serviceWorker' in navigator) {
  navigator.serviceWorker.register('/sw.js').catch(() => { /* the app works without it, just not offline */ });
}
