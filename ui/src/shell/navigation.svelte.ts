// Which section the window shows. The sidebar and the shortcuts change it, and so may a feature
// that leads the person elsewhere: sharing a resource leads to Conversations when there is no
// conversation to share it in yet, and a resource saved from a conversation opens in the library.

import type { Section } from "./sections";

export const navigation = $state<{
  section: Section;
  /** True when the section was opened from the keyboard, so its title takes focus. */
  focus: boolean;
}>({ section: "library", focus: false });

/** Shows a section; `focus` moves focus to its title (for the keyboard shortcuts). */
export function showSection(section: Section, focus = false): void {
  navigation.section = section;
  navigation.focus = focus;
}

/** Back to the library, as the window opens (for tests). */
export function resetNavigation(): void {
  showSection("library");
}
