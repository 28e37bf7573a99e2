// Starts the owner's report page, a WebAssembly bundle of its own (src/bin/report_page.rs)
// that the app adds to the page when #/report is first opened (src/web/report_bundle.rs).
// Its glue is a classic script that defines `wasm_bindgen`; this adds it once, starts it,
// and tells the app if it cannot (offline on a first visit to the report, say).
(() => {
  const base = document.currentScript.src;
  // Said to people by the app: what went wrong inside is of no use to them.
  const failed = () =>
    dispatchEvent(new CustomEvent('chatdeck-report-failed', { detail: 'it could not be downloaded (the network may be down)' }));
  const start = () => wasm_bindgen({ module_or_path: new URL('report_page_bg.wasm', base) }).catch(failed);
  if (typeof wasm_bindgen === 'function') {
    start();
    return;
  }
  const glue = document.createElement('script');
  glue.src = new URL('report_page.js', base).href;
  glue.onload = start;
  glue.onerror = failed;
  document.head.append(glue);
})();
