// The difference between two revisions, shaped for a side-by-side view: each hunk's old and new
// lines paired row by row, with their line numbers, so the view only lays them out.

import type { DiffHunk, DiffLine, NoTextDiff, RevisionDiff, Segment, TextDiff } from "../../api";
import { t, type PlainMessageKey } from "../../i18n";

type LineEnding = TextDiff["oldFormat"]["lineEnding"];

/** One side of a row: a line (numbered from 1) and its word-level segments. */
export type DiffCell = { number: number; segments: Segment[] };

export type DiffRowKind = "changed" | "removed" | "added";

export type DiffRow = { kind: DiffRowKind; old: DiffCell | null; new: DiffCell | null };

export type HunkRows = {
  /** The first line of each side the hunk touches, numbered from 1 (for "Line 12"). */
  oldStart: number;
  newStart: number;
  rows: DiffRow[];
};

function cell(lines: DiffLine[], start: number, index: number): DiffCell | null {
  const line = lines[index];
  return line ? { number: start + index + 1, segments: line.segments } : null;
}

/**
 * Pairs a hunk's old and new lines: the first old line beside the first new one, and so on; the
 * longer side's extra lines stand beside nothing (only removed, or only added).
 */
export function pairHunk(hunk: DiffHunk): HunkRows {
  const count = Math.max(hunk.oldLines.length, hunk.newLines.length);
  const rows: DiffRow[] = [];
  for (let index = 0; index < count; index++) {
    const old = cell(hunk.oldLines, hunk.old.start, index);
    const added = cell(hunk.newLines, hunk.new.start, index);
    const kind: DiffRowKind = old && added ? "changed" : old ? "removed" : "added";
    rows.push({ kind, old, new: added });
  }
  return { oldStart: hunk.old.start + 1, newStart: hunk.new.start + 1, rows };
}

/** A line's text, put back together from its segments. */
export function lineText(line: DiffCell | DiffLine): string {
  return line.segments.map((segment) => segment.text).join("");
}

/**
 * A change in how a text is stored rather than in its lines: invisible to a reader, but enough to
 * make two versions differ, so the view says what it was instead of showing no change.
 */
export type FormatChange =
  | { kind: "lineEnding"; before: LineEnding; after: LineEnding }
  | { kind: "byteOrderMark"; added: boolean }
  | { kind: "finalNewline"; added: boolean }
  | { kind: "lineBreaks" };

export function formatChanges(text: TextDiff): FormatChange[] {
  const { oldFormat: before, newFormat: after } = text;
  const changes: FormatChange[] = [];
  if (before.lineEnding !== after.lineEnding) {
    changes.push({ kind: "lineEnding", before: before.lineEnding, after: after.lineEnding });
  }
  if (before.byteOrderMark !== after.byteOrderMark) {
    changes.push({ kind: "byteOrderMark", added: after.byteOrderMark });
  }
  if (before.finalNewline !== after.finalNewline) {
    changes.push({ kind: "finalNewline", added: after.finalNewline });
  }
  if (text.lineBreaksChanged) changes.push({ kind: "lineBreaks" });
  return changes;
}

const LINE_ENDINGS: Record<LineEnding, PlainMessageKey> = {
  lf: "diff.lineEnding.lf",
  crlf: "diff.lineEnding.crlf",
};

/** A format change in words a teacher can follow, with the technical name explained. */
export function describeFormatChange(change: FormatChange): string {
  switch (change.kind) {
    case "lineEnding":
      return t("diff.format.lineEnding", {
        before: t(LINE_ENDINGS[change.before]),
        after: t(LINE_ENDINGS[change.after]),
      });
    case "byteOrderMark":
      return t(change.added ? "diff.format.bomAdded" : "diff.format.bomRemoved");
    case "finalNewline":
      return t(change.added ? "diff.format.finalNewlineAdded" : "diff.format.finalNewlineRemoved");
    case "lineBreaks":
      return t("diff.format.lineBreaks");
  }
}

/** Why two different contents are shown by type, size and preview rather than line by line. */
export const NO_TEXT_DIFF: Record<NoTextDiff, PlainMessageKey> = {
  notText: "diff.noText.notText",
  tooLarge: "diff.noText.tooLarge",
  notUtf8: "diff.noText.notUtf8",
  looksBinary: "diff.noText.looksBinary",
};

/** What kind of difference there is to show, besides the metadata. */
export type ContentChange =
  | { kind: "same" }
  | { kind: "text"; hunks: HunkRows[]; formats: FormatChange[] }
  | {
      kind: "binary";
      reason: NoTextDiff | null;
      fromSize: number;
      toSize: number;
      fromType: string;
      toType: string;
    };

export function contentChange(diff: RevisionDiff): ContentChange {
  if (diff.sameContent) return { kind: "same" };
  if (diff.text) {
    return {
      kind: "text",
      hunks: diff.text.hunks.map(pairHunk),
      formats: formatChanges(diff.text),
    };
  }
  return {
    kind: "binary",
    reason: diff.noTextDiff,
    fromSize: diff.fromSize,
    toSize: diff.toSize,
    fromType: diff.fromMediaType,
    toType: diff.toMediaType,
  };
}

/** Only PNG data URLs, as the shell makes thumbnails, are shown; anything else counts as none. */
const PREVIEW_URL = /^data:image\/png;base64,[A-Za-z0-9+/]+=*$/;

/** A thumbnail URL from the shell if it is one the window may show, else null (the typed icon). */
export function previewUrl(url: string | null): string | null {
  return url !== null && PREVIEW_URL.test(url) ? url : null;
}

/**
 * The two revisions to compare, oldest first, whichever order they were picked in. `order` lists
 * revision ids newest first, as the history shows them.
 */
export function comparePair(
  picked: readonly string[],
  order: readonly string[],
): { from: string; to: string } | null {
  if (picked.length !== 2) return null;
  const [a, b] = picked as [string, string];
  return order.indexOf(a) > order.indexOf(b) ? { from: a, to: b } : { from: b, to: a };
}

/** Picks or unpicks a revision for comparison; a third pick replaces the older of the two. */
export function togglePick(picked: readonly string[], id: string): string[] {
  if (picked.includes(id)) return picked.filter((other) => other !== id);
  return [...picked, id].slice(-2);
}
