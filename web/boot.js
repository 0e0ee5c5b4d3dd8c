// Starts the app. A separate file, not an inline script, so the Content-Security-Policy
// can forbid inline scripts.
import init from './web.js';
// The session is restored from the refresh cookie while the app downloads, not after:
// on a slow network that is a round trip less before a signed-in screen shows. The app
// takes this answer as its first refresh (RESTORE_AT_BOOT in session.rs).
window.harbourRestore = fetch('/api/v1/auth/refresh', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
window.harbourRestore.catch(() => { /* offline: the app reads the same rejection */ });
// The chunks of the lazy screens this address opens are fetched as soon as the app's
// module has arrived, not after the app starts and asks for them: a referral opened from
// a link shows sooner on a slow network. Not beside the module either: sharing the
// bandwidth with them, the module arrived later, and the app's start could no longer
// overlap their download (Lighthouse's slow 4G: a referral's first paint 0.4 s later).
// The groups and their paths are the router's (web/src/app.rs); `xtask build-web` writes
// the files of each group here.
const SCREEN_CHUNKS = {{SCREEN_CHUNKS}};
const SCREEN_GROUPS = [
  ['/referrals', 'referral_screens'], ['/participants', 'participant_screens'], ['/dashboard', 'dashboard_screens'],
  ['/conferences', 'conference_screens'], ['/groups', 'community_screens'],
  ['/organizations', 'community_screens'], ['/my-organization', 'organization_screens'], ['/categories', 'organization_screens'],
];
const opened = SCREEN_GROUPS.find(([path]) => location.pathname === path || location.pathname.startsWith(path + '/'));
const module = new URL('./web_bg.wasm', import.meta.url);
if (opened) {
  // The module whole, then the chunks: the first callback on these bytes asks for them,
  // before the app (handed the same promise after) can start and ask for them itself.
  const bytes = fetch(module).then((response) => response.arrayBuffer());
  bytes.then(() => {
    for (const file of SCREEN_CHUNKS[opened[1]]) {
      // As the chunk loader will fetch it (fetch(): CORS mode, same-origin credentials), so
      // the loader is handed this response.
      const link = Object.assign(document.createElement('link'), { rel: 'preload', as: 'fetch', crossOrigin: 'anonymous' });
      link.href = new URL('./' + file, import.meta.url).href;
      document.head.append(link);
    }
  }, () => { /* the app reports it */ });
  init({ module_or_path: bytes });
} else {
  init({ module_or_path: module });
}
if ('serviceWorker' in navigator) {
  navigator.serviceWorker.register('/sw.js').catch(() => { /* the app works without it, just not offline */ });
}
