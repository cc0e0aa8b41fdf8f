// Math typeset with KaTeX, the same way wherever the window shows it (the editor's preview, the
// messages of a conversation). KaTeX reads the TeX as TeX, never as HTML, and builds its DOM
// itself, its styles set through CSSOM (which the CSP allows, unlike a `style` attribute in
// markup). Its stylesheet and fonts are bundled by Vite. Only code loaded on first use imports
// this module, so KaTeX stays out of the window's first load.

import katex, { type KatexOptions } from "katex";
import "katex/dist/katex.min.css";

/**
 * TeX may come from someone else: no command that could load or link anything (`trust`), sizes
 * capped at 20 ems and macros expanded at most 1000 times, so that no formula can hang the window
 * or cover it. Bad TeX is shown as KaTeX's error rather than thrown (`throwOnError`); what KaTeX
 * would only warn about in the console is let through quietly.
 */
const OPTIONS: KatexOptions = {
  throwOnError: false,
  trust: false,
  strict: "ignore",
  maxSize: 20,
  maxExpand: 1000,
};

/**
 * Typesets `tex` into `element` (on a line of its own when `displayMode`), replacing what it held.
 * TeX KaTeX cannot parse is shown as written, in an element of class `katex-error`; anything else
 * that goes wrong is thrown.
 */
export function typesetTex(tex: string, element: HTMLElement, displayMode: boolean): void {
  katex.render(tex, element, { ...OPTIONS, displayMode });
}
