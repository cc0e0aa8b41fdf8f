// Choosing which sections of each source a combination quotes. A section is the text before the
// first heading, or a heading with everything under it: choosing a heading quotes its
// sub-headings too, so those are shown as included rather than chosen again.

import type { Section, SourceOutline } from "../../api";

/** What the teacher chose for one source: the whole text, or some of its sections (by index). */
export type SectionChoice = { whole: boolean; picked: number[] };

export const WHOLE: SectionChoice = { whole: true, picked: [] };

/** The sections under the heading at `index`, which quoting it quotes too. */
export function subsections(sections: readonly Section[], index: number): number[] {
  const position = sections.findIndex((section) => section.index === index);
  const heading = sections[position];
  if (!heading || heading.level === 0) return [];
  const under: number[] = [];
  for (const section of sections.slice(position + 1)) {
    if (section.level <= heading.level) break;
    under.push(section.index);
  }
  return under;
}

/** The sections quoted because a heading above them is chosen. */
export function included(sections: readonly Section[], picked: readonly number[]): Set<number> {
  return new Set(picked.flatMap((index) => subsections(sections, index)));
}

/** Chooses or un-chooses a section; choosing a heading drops its sub-headings from the picks. */
export function toggle(
  sections: readonly Section[],
  picked: readonly number[],
  index: number,
): number[] {
  if (picked.includes(index)) return picked.filter((other) => other !== index);
  const under = new Set(subsections(sections, index));
  return [...picked.filter((other) => !under.has(other)), index].sort((a, b) => a - b);
}

/** Whether a source offers a choice at all: text with more than one section. */
export function offersChoice(outline: SourceOutline): boolean {
  return outline.sections.length > 1;
}

/**
 * The `sections` of a combine request: the sources the teacher narrowed down, by id. Sources quoted
 * whole, or that offer no choice, are left out (the shell quotes those whole).
 */
export function requestedSections(
  outlines: readonly SourceOutline[],
  choices: Readonly<Record<string, SectionChoice>>,
): Record<string, number[]> {
  const requested: Record<string, number[]> = {};
  for (const outline of outlines) {
    const choice = choices[outline.id];
    if (!choice || choice.whole || !offersChoice(outline)) continue;
    requested[outline.id] = [...choice.picked].sort((a, b) => a - b);
  }
  return requested;
}

/** The sources narrowed down to nothing: the handout could not be made as chosen. */
export function nothingPicked(
  outlines: readonly SourceOutline[],
  choices: Readonly<Record<string, SectionChoice>>,
): string[] {
  return Object.entries(requestedSections(outlines, choices))
    .filter(([, picked]) => picked.length === 0)
    .map(([id]) => id);
}

/** How deep to indent a section: headings under the outline's highest level step in. */
export function depth(sections: readonly Section[], section: Section): number {
  const levels = sections.map((each) => each.level).filter((level) => level > 0);
  if (section.level === 0 || levels.length === 0) return 0;
  return section.level - Math.min(...levels);
}
