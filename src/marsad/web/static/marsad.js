// marsad web app: tooltips for highlights, layer toggles, map zoom and pan.
// Everything works without this script; it adds convenience only. No third-party code.
"use strict";

function setupTooltips() {
  const text = document.getElementById("doc-text");
  const tip = document.getElementById("tip");
  if (!text || !tip) return;
  let active = null;
  function show(mark) {
    const id = mark.getAttribute("aria-describedby");
    const source = id && document.getElementById(id);
    if (!source) return;
    tip.replaceChildren(...Array.from(source.childNodes, (n) => n.cloneNode(true)));
    tip.hidden = false;
    const box = mark.getBoundingClientRect();
    const top = box.bottom + 8 + tip.offsetHeight > window.innerHeight ? box.top - tip.offsetHeight - 8 : box.bottom + 8;
    tip.style.setProperty("top", Math.max(4, top) + "px");
    tip.style.setProperty("left", Math.max(4, Math.min(box.left, window.innerWidth - tip.offsetWidth - 8)) + "px");
    if (active) active.classList.remove("active");
    active = source;
    source.classList.add("active");
  }
  function hide() { tip.hidden = true; }
  function innermost(target) { return target.closest && target.closest("mark.hl"); }
  text.addEventListener("mouseover", (e) => { const m = innermost(e.target); if (m) show(m); });
  text.addEventListener("mouseout", (e) => { if (!e.relatedTarget || !text.contains(e.relatedTarget)) hide(); });
  text.addEventListener("focusin", (e) => { const m = innermost(e.target); if (m) show(m); });
  text.addEventListener("focusout", hide);
  // a click takes you to the full entry in the side panel (with its links)
  text.addEventListener("click", (e) => {
    const m = innermost(e.target);
    const id = m && m.getAttribute("aria-describedby");
    const entry = id && document.getElementById(id);
    if (entry) entry.scrollIntoView({ block: "nearest" });
  });
  document.addEventListener("keydown", (e) => { if (e.key === "Escape") hide(); });
}

function setupLayerToggles() {
  const text = document.getElementById("doc-text");
  if (!text) return;
  document.querySelectorAll("input[data-layer]").forEach((box) => {
    box.addEventListener("change", () => text.classList.toggle("off-" + box.dataset.layer, !box.checked));
  });
}

function setupMapZoom() {
  const svg = document.getElementById("map");
  if (!svg) return;
  const base = svg.viewBox.baseVal;
  let view = { x: base.x, y: base.y, w: base.width, h: base.height };
  const apply = () => svg.setAttribute("viewBox", `${view.x} ${view.y} ${view.w} ${view.h}`);
  function toSvg(evt) {
    const r = svg.getBoundingClientRect();
    return { x: view.x + ((evt.clientX - r.left) / r.width) * view.w, y: view.y + ((evt.clientY - r.top) / r.height) * view.h };
  }
  svg.addEventListener("wheel", (evt) => {
    evt.preventDefault();
    const p = toSvg(evt);
    const k = evt.deltaY < 0 ? 0.8 : 1.25;
    view = { x: p.x - (p.x - view.x) * k, y: p.y - (p.y - view.y) * k, w: view.w * k, h: view.h * k };
    apply();
  }, { passive: false });
  let drag = null;
  svg.addEventListener("pointerdown", (evt) => { if (evt.target.closest("a")) return; drag = toSvg(evt); svg.setPointerCapture(evt.pointerId); });
  svg.addEventListener("pointermove", (evt) => {
    if (!drag) return;
    const p = toSvg(evt);
    view.x -= p.x - drag.x; view.y -= p.y - drag.y; apply();
  });
  svg.addEventListener("pointerup", () => { drag = null; });
  svg.addEventListener("dblclick", () => { view = { x: base.x, y: base.y, w: base.width, h: base.height }; apply(); });
}

document.addEventListener("DOMContentLoaded", () => {
  setupTooltips();
  setupLayerToggles();
  setupMapZoom();
  const focus = document.getElementById("focus");
  if (focus) focus.scrollIntoView({ block: "center" });
});
