// Finishing the editor's preview: the HTML comes sanitised from Rust (ammonia); here math is
// typeset with KaTeX and `resource:` images are swapped for their thumbnails, all before the
// fragment is shown, so no image ever asks for a `resource:` address.

/** Typesets a TeX string into an element (KaTeX's `render`, which builds the DOM itself). */
export type Typeset = (tex: string, element: HTMLElement, displayMode: boolean) => void;

const RESOURCE_SRC = /^resource:([0-9a-fA-F-]{8,})$/;

/** The resource an `<img src="resource:…">` names, or null. */
export function resourceOfImage(src: string): string | null {
  return RESOURCE_SRC.exec(src.trim())?.[1] ?? null;
}

/**
 * Parses sanitised HTML into an inert fragment (a template's content: nothing loads or runs).
 * The string must come from `history_render_preview`, which sanitises it in Rust.
 */
export function parseSanitised(html: string): DocumentFragment {
  const template = document.createElement("template");
  // Sanitised by Rust (ammonia) before it crossed IPC; a template's content is inert.
  template.innerHTML = html;
  return template.content;
}

/** Typesets every `span.math` (inline, or `math-display`) in place; bad TeX shows as written. */
export function typesetMath(root: ParentNode, typeset: Typeset): void {
  for (const span of root.querySelectorAll<HTMLElement>("span.math")) {
    const tex = span.textContent ?? "";
    try {
      typeset(tex, span, span.classList.contains("math-display"));
    } catch {
      span.textContent = tex;
    }
  }
}

/**
 * Replaces the address of every `resource:` image with its thumbnail's data URL; an image without
 * one is replaced by its alternative text, marked as missing by `missing(alt)`.
 */
export async function resolveImages(
  root: ParentNode,
  thumbnail: (id: string) => Promise<string | null>,
  missing: (alt: string) => string,
): Promise<void> {
  const images = [...root.querySelectorAll<HTMLImageElement>("img")];
  await Promise.all(
    images.map(async (image) => {
      const id = resourceOfImage(image.getAttribute("src") ?? "");
      let url: string | null = null;
      if (id !== null) {
        try {
          url = await thumbnail(id);
        } catch {
          url = null;
        }
      }
      if (url !== null) {
        image.setAttribute("src", url);
      } else {
        const note = document.createElement("span");
        note.className = "missing-image";
        note.textContent = missing(image.getAttribute("alt") ?? "");
        image.replaceWith(note);
      }
    }),
  );
}
