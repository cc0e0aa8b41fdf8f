// Math in messages, written the way the Matrix spec writes it: the TeX in a `data-mx-maths`
// attribute of a `span` (inline) or a `div` (on a line of its own), whose content is the fallback a
// client without math shows (the TeX again, in a `code` element). Rust sanitised the HTML; the TeX
// is read from the attribute and only ever given to KaTeX, never parsed as markup.

import { typesetTex } from "../../components/math";

/**
 * Typesets every math element under `root` in place. An element whose TeX KaTeX cannot typeset
 * keeps its fallback. The elements themselves stay (only their content changes), so a `{@html}`
 * block can still take them away.
 */
export function typesetMessageMath(root: ParentNode): void {
  for (const element of root.querySelectorAll<HTMLElement>(
    "span[data-mx-maths], div[data-mx-maths]",
  )) {
    const tex = element.getAttribute("data-mx-maths") ?? "";
    const displayMode = element.localName === "div";
    // Typeset apart first, so that a failure leaves the fallback as it was.
    const typeset = document.createElement(element.localName);
    try {
      typesetTex(tex, typeset, displayMode);
    } catch {
      continue;
    }
    if (typeset.querySelector(".katex-error") !== null) continue;
    element.replaceChildren(...typeset.childNodes);
  }
}
