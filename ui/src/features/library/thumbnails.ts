// Thumbnails, fetched from the shell only when a row is about to be seen and kept per resource
// version (id and time of its last change), so a list scrolled back and forth asks once, and an
// edited resource asks again.

import { getThumbnail } from "../../api";

/** Documents and presentations that may carry a preview picture inside them. */
const OFFICE_WITH_PREVIEWS = new Set([
  "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
  "application/vnd.openxmlformats-officedocument.presentationml.presentation",
  "application/vnd.oasis.opendocument.text",
  "application/vnd.oasis.opendocument.presentation",
]);

/**
 * The shell makes thumbnails of images, book covers, the first page of PDFs, and the preview
 * pictures office documents carry; for any other file the window shows its icon.
 */
export function mayHaveThumbnail(mediaType: string): boolean {
  const kind = mediaType.trim().toLowerCase();
  return (
    kind.startsWith("image/") ||
    kind === "application/epub+zip" ||
    kind === "application/pdf" ||
    OFFICE_WITH_PREVIEWS.has(kind)
  );
}

/** At most this many are fetched at once, so a fast scroll does not queue hundreds at the shell. */
const CONCURRENT = 4;
/** Thumbnails kept; the oldest go first. About 20 kB each. */
const KEPT = 400;

const settled = new Map<string, string | null>();
const inFlight = new Map<string, Promise<string | null>>();
const waiting: Array<() => void> = [];
let running = 0;

function keyOf(id: string, updatedAt: number): string {
  return `${id}@${updatedAt}`;
}

/** The thumbnail already fetched for this version: a URL, null for none, undefined if not yet. */
export function cachedThumbnail(id: string, updatedAt: number): string | null | undefined {
  return settled.get(keyOf(id, updatedAt));
}

async function slot(): Promise<void> {
  if (running < CONCURRENT) {
    running += 1;
    return;
  }
  await new Promise<void>((resolve) => waiting.push(resolve));
}

function release(): void {
  const next = waiting.shift();
  if (next) next();
  else running -= 1;
}

/** Fetches the thumbnail once per version; a failure shows the icon, and is not remembered. */
export function thumbnailFor(id: string, updatedAt: number): Promise<string | null> {
  const key = keyOf(id, updatedAt);
  const known = settled.get(key);
  if (known !== undefined) return Promise.resolve(known);
  const pending = inFlight.get(key);
  if (pending) return pending;
  const request = (async () => {
    await slot();
    try {
      const url = await getThumbnail(id);
      settled.set(key, url);
      if (settled.size > KEPT) {
        const oldest = settled.keys().next().value;
        if (oldest !== undefined) settled.delete(oldest);
      }
      return url;
    } catch {
      return null;
    } finally {
      inFlight.delete(key);
      release();
    }
  })();
  inFlight.set(key, request);
  return request;
}

/** Forgets every thumbnail (for tests). */
export function clearThumbnails(): void {
  settled.clear();
  inFlight.clear();
}
