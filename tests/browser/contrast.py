"""WCAG AA contrast of everything under some root elements, measured in the page.

The script walks each root's text nodes and form controls and compares each colour with the
background it is actually drawn on: the backgrounds of the element and its ancestors composited from
the page down (semi-transparent ones blended), ``opacity`` multiplied up the tree. Closed
``<details>`` are opened first so that what they hold is measured too. Disabled controls are left
out (WCAG 1.4.3 exempts inactive components), and so is what is not drawn.

Thresholds (WCAG 2.2 AA): 4.5:1 for text, 3:1 for large text (24 px, or 18.66 px bold) and for the
boundary of a control (an input's, select's or button's border, or its fill against the page).
"""

from __future__ import annotations

from typing import Any

MEASURE = r"""
(selectors) => {
  const roots = [...document.querySelectorAll(selectors)];
  roots.forEach(r => r.querySelectorAll('details').forEach(d => { d.open = true; }));
  const probe = document.createElement('canvas').getContext('2d', {willReadFrequently: true});
  const rgba = (css) => {
    // Any CSS colour (rgb(), color(srgb ...), oklab() from color-mix, ...) through a canvas pixel.
    probe.clearRect(0, 0, 1, 1);
    probe.fillStyle = 'rgba(0,0,0,0)';
    probe.fillStyle = css;
    probe.fillRect(0, 0, 1, 1);
    const d = probe.getImageData(0, 0, 1, 1).data;
    return [d[0], d[1], d[2], d[3] / 255];
  };
  const over = (top, bottom) => {
    const a = top[3] + bottom[3] * (1 - top[3]);
    if (a === 0) return [0, 0, 0, 0];
    const c = i => (top[i] * top[3] + bottom[i] * bottom[3] * (1 - top[3])) / a;
    return [c(0), c(1), c(2), a];
  };
  const lum = (c) => {
    const f = v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
    return 0.2126 * f(c[0]) + 0.7152 * f(c[1]) + 0.0722 * f(c[2]);
  };
  const ratio = (a, b) => { const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p); return (x + 0.05) / (y + 0.05); };
  const page = rgba(getComputedStyle(document.body).backgroundColor);
  const base = page[3] === 1 ? page : over(page, [255, 255, 255, 1]);
  // The colour an element's content is drawn on: its own and its ancestors' fills, page first.
  const backdrop = (el, includeSelf) => {
    const chain = [];
    for (let e = includeSelf ? el : el.parentElement; e; e = e.parentElement) chain.push(e);
    let bg = base;
    for (const e of chain.reverse()) {
      const c = rgba(getComputedStyle(e).backgroundColor);
      if (c[3] > 0) bg = over(c, bg);
    }
    return bg;
  };
  const opacity = (el) => {
    let o = 1;
    for (let e = el; e; e = e.parentElement) o *= parseFloat(getComputedStyle(e).opacity);
    return o;
  };
  const name = (el) => {
    const cls = [...el.classList].slice(0, 3).join('.');
    return el.tagName.toLowerCase() + (cls ? '.' + cls : '');
  };
  const drawn = (el) => el.getClientRects().length > 0 && getComputedStyle(el).visibility !== 'hidden';
  const inactive = (el) => !!el.closest('button:disabled, input:disabled, select:disabled, textarea:disabled');
  const large = (s) => { const px = parseFloat(s.fontSize); const w = parseInt(s.fontWeight, 10) || 400; return px >= 24 || (px >= 18.66 && w >= 700); };
  const results = [];
  const text = (el, label, color) => {
    const s = getComputedStyle(el);
    const bg = backdrop(el, true);
    const fg = rgba(color);
    fg[3] *= opacity(el);
    const r = ratio(over(fg, bg), bg);
    results.push({kind: 'text', element: name(el), text: label.trim().slice(0, 60), ratio: r, need: large(s) ? 3 : 4.5});
  };
  for (const root of roots) {
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const el = n.parentElement;
      if (!n.textContent.trim() || !el) continue;
      if (el.closest('style, script, option') || !drawn(el) || inactive(el)) continue;
      text(el, n.textContent, getComputedStyle(el).color);
    }
    for (const c of root.querySelectorAll('input:not([type=checkbox]):not([type=radio]), select, textarea, button')) {
      if (!drawn(c) || c.disabled) continue;
      if (c.matches('input, textarea') && c.value) text(c, c.value, getComputedStyle(c).color);
      if (c.matches('input, textarea') && !c.value && c.placeholder)
        text(c, c.placeholder, getComputedStyle(c, '::placeholder').color);
      if (c.matches('select') && c.selectedOptions.length) text(c, c.selectedOptions[0].text, getComputedStyle(c).color);
      const s = getComputedStyle(c);
      const behind = backdrop(c, false);
      const fill = over(rgba(s.backgroundColor), behind);
      const border = parseFloat(s.borderTopWidth) > 0 ? over(rgba(s.borderTopColor), fill) : fill;
      const r = Math.max(ratio(border, behind), ratio(fill, behind));
      results.push({kind: 'boundary', element: name(c), text: (c.value || c.textContent || c.placeholder || '').trim().slice(0, 60), ratio: r, need: 3});
    }
  }
  return results;
}
"""


def measure(page: Any, selectors: str) -> list[dict[str, Any]]:
    """Every text and control boundary under the elements ``selectors`` matches, with its contrast
    ratio and the ratio it needs."""
    return list(page.evaluate(MEASURE, selectors))


def failures(results: list[dict[str, Any]]) -> list[str]:
    """The measurements below what they need, one readable line each."""
    return [
        f"{r['ratio']:.2f}:1 < {r['need']}:1 ({r['kind']}) {r['element']}: {r['text']!r}"
        for r in results
        if r["ratio"] < r["need"] - 0.005
    ]
