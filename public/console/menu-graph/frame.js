// Draws one Mermaid diagram sent by the console (same origin only) and reports its size back.
// Mermaid styles its SVG inline, so this frame alone allows inline styles; scripts stay 'self'.

import mermaid from '../../assets/vendor/mermaid/mermaid.esm.min.mjs';

mermaid.initialize({ startOnLoad: false, securityLevel: 'strict', theme: 'neutral', flowchart: { htmlLabels: false, useMaxWidth: true }, fontFamily: 'system-ui, sans-serif' });
const origin = window.location.origin;
let drawn = 0;

window.addEventListener('message', function (event) {
  if (event.origin !== origin || !event.data || event.data.type !== 'menu-graph-text') return;
  drawn += 1;
  mermaid.render('menu-graph-svg-' + drawn, String(event.data.text)).then(function (result) {
    document.getElementById('graph').innerHTML = result.svg;
    report();
  }, function (error) {
    window.parent.postMessage({ type: 'menu-graph-failed', message: String(error && error.message) }, origin);
  });
});
/** Tells the console the drawing's size (again whenever the frame's width changes it). */
function report() {
  const svg = document.querySelector('#graph svg');
  if (!svg) return;
  const size = svg.getBoundingClientRect();
  window.parent.postMessage({ type: 'menu-graph-drawn', width: Math.ceil(size.width), height: Math.ceil(size.height) }, origin);
}
new window.ResizeObserver(report).observe(document.getElementById('graph'));
window.parent.postMessage({ type: 'menu-graph-ready' }, origin);
