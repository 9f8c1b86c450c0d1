import './app/inkroom-app.js';

// The app page works offline (the shell from public/sw.js, each board from IndexedDB). Browsers
// allow service workers on https and localhost only; elsewhere the app is online-only.
// Not under `vite` (dev): a kept page would hide the changes being worked on.
if (import.meta.env.PROD && 'serviceWorker' in navigator && window.isSecureContext) {
  navigator.serviceWorker.register('/sw.js').catch((error: unknown) => {
    console.error('inkroom: offline support unavailable', error);
  });
}
