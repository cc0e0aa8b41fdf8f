// The window's sections, in navigation order, and the shortcuts that open them.

import type { IconName } from "../components/Icon.svelte";
import type { PlainMessageKey } from "../i18n";

export const SECTIONS = ["library", "collections", "conversations", "settings"] as const;
export type Section = (typeof SECTIONS)[number];

export const SECTION_LABELS: Record<Section, PlainMessageKey> = {
  library: "nav.library",
  collections: "nav.collections",
  conversations: "nav.conversations",
  settings: "nav.settings",
};

export const SECTION_ICONS: Record<Section, IconName> = {
  library: "library",
  collections: "collections",
  conversations: "conversations",
  settings: "settings",
};

/** The `aria-keyshortcuts` value for a section, e.g. "Control+1 Meta+1". */
export function shortcutFor(section: Section): string {
  const digit = SECTIONS.indexOf(section) + 1;
  return `Control+${digit} Meta+${digit}`;
}

/**
 * The section that Ctrl+1..4 (Cmd+1..4 on macOS) opens, or null. Reads the physical key, so
 * layouts where digits need Shift (French AZERTY) work too.
 */
export function sectionForShortcut(event: KeyboardEvent): Section | null {
  if (event.altKey || event.ctrlKey === event.metaKey) return null;
  const match = /^(?:Digit|Numpad)([1-9])$/.exec(event.code);
  if (!match) return null;
  return SECTIONS[Number(match[1]) - 1] ?? null;
}
