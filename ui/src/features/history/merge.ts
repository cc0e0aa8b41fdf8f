// Reading an unfinished merge: which conflicts there are, which are still open, and what a
// resolution makes of a conflict's text. The shell keeps the merge; these only look at it.

import type { Conflict, FieldConflict, MergeState, Resolution, Side } from "../../api";
import type { PlainMessageKey } from "../../i18n";

/** A text conflict and its place among the merge's regions (what `resolveConflict` takes). */
export type TextConflict = { region: number; conflict: Conflict };

/** Every text conflict, resolved or not, in the order of the file. */
export function textConflicts(state: MergeState): TextConflict[] {
  if (state.content.kind !== "text" || state.content.merge.kind !== "conflicted") return [];
  const found: TextConflict[] = [];
  state.content.merge.regions.forEach((region, index) => {
    if (region.kind === "conflict") {
      const { base, ours, theirs, resolution } = region;
      found.push({ region: index, conflict: { base, ours, theirs, resolution } });
    }
  });
  return found;
}

export function openTextConflicts(state: MergeState): TextConflict[] {
  return textConflicts(state).filter(({ conflict }) => conflict.resolution === null);
}

export function openFieldConflicts(state: MergeState): FieldConflict[] {
  return state.metadata.conflicts.filter((conflict) => conflict.resolution === null);
}

/** The content cannot be merged line by line and both sides changed it: a side must be chosen. */
export function binaryChoice(state: MergeState): { open: boolean } | null {
  if (state.content.kind !== "binary" || state.content.merge.kind !== "conflict") return null;
  return { open: state.content.merge.resolution === null };
}

/** The version chosen for content that cannot be merged line by line, if one is. */
export function chosenSide(state: MergeState): Side | null {
  if (state.content.kind !== "binary" || state.content.merge.kind !== "conflict") return null;
  return state.content.merge.resolution;
}

/**
 * The versions offered when a side must be chosen, in the order shown, with the words for keeping
 * each (the same as a text conflict's "Keep mine" and "Keep theirs"), and the size of each.
 */
export const SIDE_CHOICES: ReadonlyArray<{
  side: Side;
  label: PlainMessageKey;
  size: (state: MergeState) => number;
}> = [
  { side: "ours", label: "merge.keepMine", size: (state) => state.oursSize },
  { side: "theirs", label: "merge.keepTheirs", size: (state) => state.theirsSize },
  { side: "base", label: "merge.keepBase", size: (state) => state.baseSize },
];

/** Conflicts still open, counted here; the shell's `unresolved` says the same. */
export function countOpen(state: MergeState): number {
  const binary = binaryChoice(state);
  return (
    openTextConflicts(state).length + openFieldConflicts(state).length + (binary?.open ? 1 : 0)
  );
}

/** How many conflicts are still open: the shell's count, which decides whether it can finish. */
export function unresolved(state: MergeState): number {
  return state.unresolved;
}

/** Joins two stretches of lines, keeping a line break between them. */
function joinLines(first: string, second: string): string {
  if (first === "") return second;
  if (second === "") return first;
  return first.endsWith("\n") ? first + second : `${first}\n${second}`;
}

/** The text a resolution puts in place of the conflict. */
export function resolvedText(conflict: Conflict, resolution: Resolution): string {
  switch (resolution.kind) {
    case "ours":
      return conflict.ours;
    case "theirs":
      return conflict.theirs;
    case "both":
      return joinLines(conflict.ours, conflict.theirs);
    case "custom":
      return resolution.text;
  }
}

/** A field's value as text to show: lists joined with "; ", a missing value as nothing. */
export function valueText(value: unknown): string {
  if (value === undefined || value === null) return "";
  if (typeof value === "string") return value;
  if (Array.isArray(value)) return value.map((item) => valueText(item)).join("; ");
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return JSON.stringify(value);
}
