import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { DiffHunk, MergeState, RevisionDiff, TextDiff } from "../../api";
import { setLocale } from "../../i18n";
import { DraftAutosaver, type AutosaveStatus } from "./autosave";
import {
  comparePair,
  contentChange,
  describeFormatChange,
  formatChanges,
  lineText,
  pairHunk,
  previewUrl,
  togglePick,
} from "./diff";
import { initialChoice, orderChoices, showsMore } from "./licences";
import {
  binaryChoice,
  chosenSide,
  countOpen,
  openFieldConflicts,
  openTextConflicts,
  resolvedText,
  SIDE_CHOICES,
  textConflicts,
  valueText,
} from "./merge";
import { parseSanitised, resolveImages, resourceOfImage, typesetMath } from "./preview";
import { relativeTime } from "./wording";

const line = (...parts: Array<[string, boolean]>) => ({
  segments: parts.map(([text, changed]) => ({ text, changed })),
});

describe("pairHunk", () => {
  it("pairs old and new lines row by row, numbering from 1", () => {
    const hunk: DiffHunk = {
      old: { start: 4, end: 6 },
      new: { start: 4, end: 7 },
      oldLines: [line(["The ", false], ["cat", true]), line(["sat", false])],
      newLines: [line(["The ", false], ["dog", true]), line(["sat", false]), line(["down", true])],
    };
    const paired = pairHunk(hunk);
    expect(paired.oldStart).toBe(5);
    expect(paired.newStart).toBe(5);
    expect(paired.rows.map((row) => row.kind)).toEqual(["changed", "changed", "added"]);
    expect(paired.rows[0]?.old?.number).toBe(5);
    expect(paired.rows[2]?.old).toBeNull();
    expect(paired.rows[2]?.new?.number).toBe(7);
    expect(lineText(paired.rows[0]!.new!)).toBe("The dog");
  });

  it("marks lines that were only removed", () => {
    const paired = pairHunk({
      old: { start: 0, end: 1 },
      new: { start: 0, end: 0 },
      oldLines: [line(["gone", true])],
      newLines: [],
    });
    expect(paired.rows).toEqual([
      {
        kind: "removed",
        old: { number: 1, segments: [{ text: "gone", changed: true }] },
        new: null,
      },
    ]);
  });

  it("keeps empty lines, which have no segments", () => {
    const paired = pairHunk({
      old: { start: 2, end: 2 },
      new: { start: 2, end: 3 },
      oldLines: [],
      newLines: [{ segments: [] }],
    });
    expect(paired.rows[0]).toEqual({ kind: "added", old: null, new: { number: 3, segments: [] } });
  });
});

describe("contentChange", () => {
  const base: RevisionDiff = {
    from: "a",
    to: "b",
    metadata: [],
    sameContent: false,
    text: null,
    noTextDiff: "notText",
    fromSize: 10,
    toSize: 20,
    fromMediaType: "image/png",
    toMediaType: "image/jpeg",
  };

  it("says when the content is the same", () => {
    expect(contentChange({ ...base, sameContent: true })).toEqual({ kind: "same" });
  });

  it("gives sizes and types for files that are not text", () => {
    expect(contentChange(base)).toEqual({
      kind: "binary",
      reason: "notText",
      fromSize: 10,
      toSize: 20,
      fromType: "image/png",
      toType: "image/jpeg",
    });
  });

  it("pairs the hunks of text", () => {
    const format = { lineEnding: "lf" as const, byteOrderMark: false, finalNewline: true };
    const change = contentChange({
      ...base,
      text: {
        oldFormat: format,
        newFormat: format,
        oldLineCount: 1,
        newLineCount: 1,
        lineBreaksChanged: false,
        hunks: [
          {
            old: { start: 0, end: 1 },
            new: { start: 0, end: 1 },
            oldLines: [line(["a", true])],
            newLines: [line(["b", true])],
          },
        ],
      },
    });
    expect(change.kind).toBe("text");
    if (change.kind === "text") {
      expect(change.hunks[0]?.rows[0]?.kind).toBe("changed");
      expect(change.formats).toEqual([]);
    }
  });
});

describe("format changes", () => {
  const lf = { lineEnding: "lf" as const, byteOrderMark: false, finalNewline: true };
  const text = (overrides: Partial<TextDiff>): TextDiff => ({
    oldFormat: lf,
    newFormat: lf,
    oldLineCount: 2,
    newLineCount: 2,
    lineBreaksChanged: false,
    hunks: [],
    ...overrides,
  });

  it("finds each way the storing of a text can change", () => {
    expect(formatChanges(text({}))).toEqual([]);
    expect(
      formatChanges(
        text({
          oldFormat: { lineEnding: "crlf", byteOrderMark: true, finalNewline: false },
          newFormat: lf,
        }),
      ),
    ).toEqual([
      { kind: "lineEnding", before: "crlf", after: "lf" },
      { kind: "byteOrderMark", added: false },
      { kind: "finalNewline", added: true },
    ]);
    expect(formatChanges(text({ lineBreaksChanged: true }))).toEqual([{ kind: "lineBreaks" }]);
  });

  it("says them in plain words, naming both styles of line ending", () => {
    expect(describeFormatChange({ kind: "lineEnding", before: "crlf", after: "lf" })).toBe(
      "Line endings (the invisible mark at the end of each line) changed from Windows style (CRLF) to Mac/Linux style (LF).",
    );
    expect(describeFormatChange({ kind: "lineEnding", before: "lf", after: "crlf" })).toContain(
      "from Mac/Linux style (LF) to Windows style (CRLF)",
    );
    expect(describeFormatChange({ kind: "byteOrderMark", added: true })).toMatch(
      /^A byte order mark was added at the start/,
    );
    expect(describeFormatChange({ kind: "byteOrderMark", added: false })).toMatch(
      /^The byte order mark at the start was removed/,
    );
    expect(describeFormatChange({ kind: "finalNewline", added: true })).toMatch(
      /^A line break was added at the end/,
    );
    expect(describeFormatChange({ kind: "finalNewline", added: false })).toMatch(
      /^The line break at the end, after the last line, was removed/,
    );
    expect(describeFormatChange({ kind: "lineBreaks" })).toMatch(/^Only line breaks changed/);
  });
});

describe("previewUrl", () => {
  it("keeps only the PNG data URLs the shell makes", () => {
    expect(previewUrl("data:image/png;base64,iVBORw0KGgo=")).toBe(
      "data:image/png;base64,iVBORw0KGgo=",
    );
    expect(previewUrl(null)).toBeNull();
    expect(previewUrl("https://example.org/cat.png")).toBeNull();
    expect(previewUrl("javascript:alert(1)")).toBeNull();
    expect(previewUrl("data:image/svg+xml;base64,PHN2Zz4=")).toBeNull();
    expect(previewUrl('data:image/png;base64,AAAA" onerror="x')).toBeNull();
  });
});

describe("choosing revisions to compare", () => {
  const order = ["r3", "r2", "r1"];

  it("orders the pair oldest first whatever the order of picking", () => {
    expect(comparePair(["r3", "r1"], order)).toEqual({ from: "r1", to: "r3" });
    expect(comparePair(["r1", "r2"], order)).toEqual({ from: "r1", to: "r2" });
    expect(comparePair(["r1"], order)).toBeNull();
  });

  it("keeps at most two picks, dropping the earliest", () => {
    expect(togglePick([], "r1")).toEqual(["r1"]);
    expect(togglePick(["r1", "r2"], "r3")).toEqual(["r2", "r3"]);
    expect(togglePick(["r1", "r2"], "r1")).toEqual(["r2"]);
  });
});

function mergeState(overrides: Partial<MergeState> = {}): MergeState {
  return {
    resourceId: "res",
    ours: "o",
    theirs: "t",
    base: "b",
    theirsLabel: "Their copy",
    content: {
      kind: "text",
      merge: {
        kind: "conflicted",
        format: { lineEnding: "lf", byteOrderMark: false, finalNewline: true },
        regions: [
          { kind: "resolved", text: "intro\n" },
          { kind: "conflict", base: "a\n", ours: "b\n", theirs: "c\n", resolution: null },
          { kind: "resolved", text: "middle\n" },
          {
            kind: "conflict",
            base: "x\n",
            ours: "y\n",
            theirs: "z\n",
            resolution: { kind: "ours" },
          },
        ],
      },
    },
    metadata: {
      merged: {},
      conflicts: [
        { field: "title", base: "T", ours: "Mine", theirs: "Theirs", resolution: null },
        { field: "keywords", ours: ["a", "b"], theirs: ["c"], resolution: { kind: "theirs" } },
      ],
    },
    fileName: "notes.md",
    mediaType: "text/markdown",
    baseSize: 1,
    oursSize: 2,
    theirsSize: 3,
    unresolved: 2,
    startedAt: 0,
    ...overrides,
  };
}

describe("merge state", () => {
  it("finds text conflicts with their region index", () => {
    const state = mergeState();
    expect(textConflicts(state).map((found) => found.region)).toEqual([1, 3]);
    expect(openTextConflicts(state).map((found) => found.region)).toEqual([1]);
  });

  it("counts open conflicts of every kind", () => {
    const state = mergeState();
    expect(openFieldConflicts(state).map((conflict) => conflict.field)).toEqual(["title"]);
    expect(countOpen(state)).toBe(2);
    expect(binaryChoice(state)).toBeNull();
  });

  it("asks for a side when binary content conflicts", () => {
    const state = mergeState({
      content: { kind: "binary", merge: { kind: "conflict", resolution: null } },
      metadata: { merged: {}, conflicts: [] },
    });
    expect(binaryChoice(state)).toEqual({ open: true });
    expect(textConflicts(state)).toEqual([]);
    expect(countOpen(state)).toBe(1);
    const chosen = mergeState({
      content: { kind: "binary", merge: { kind: "conflict", resolution: "theirs" } },
      metadata: { merged: {}, conflicts: [] },
    });
    expect(countOpen(chosen)).toBe(0);
    expect(chosenSide(state)).toBeNull();
    expect(chosenSide(chosen)).toBe("theirs");
    expect(chosenSide(mergeState())).toBeNull();
  });

  it("offers mine, theirs and how it was before, in the words of text conflicts", () => {
    const state = mergeState();
    expect(SIDE_CHOICES.map((choice) => [choice.side, choice.label, choice.size(state)])).toEqual([
      ["ours", "merge.keepMine", 2],
      ["theirs", "merge.keepTheirs", 3],
      ["base", "merge.keepBase", 1],
    ]);
  });

  it("says what each resolution keeps", () => {
    const conflict = { base: "a\n", ours: "b\n", theirs: "c\n", resolution: null };
    expect(resolvedText(conflict, { kind: "ours" })).toBe("b\n");
    expect(resolvedText(conflict, { kind: "theirs" })).toBe("c\n");
    expect(resolvedText(conflict, { kind: "both" })).toBe("b\nc\n");
    expect(resolvedText({ ...conflict, ours: "b" }, { kind: "both" })).toBe("b\nc\n");
    expect(resolvedText(conflict, { kind: "custom", text: "d\n" })).toBe("d\n");
  });

  it("shows field values as text", () => {
    expect(valueText(undefined)).toBe("");
    expect(valueText(["a", "b"])).toBe("a; b");
    expect(valueText("x")).toBe("x");
    expect(valueText(3)).toBe("3");
  });
});

describe("licence choices", () => {
  const allowed = [
    { id: "CC-BY-NC-4.0", recommended: false },
    { id: "CC-BY-SA-4.0", recommended: true },
    { id: "CC-BY-4.0", recommended: true },
  ];

  it("puts recommended licences first, keeping the shell's order", () => {
    const ordered = orderChoices(allowed);
    expect(ordered.recommended.map((choice) => choice.id)).toEqual(["CC-BY-SA-4.0", "CC-BY-4.0"]);
    expect(ordered.more.map((choice) => choice.id)).toEqual(["CC-BY-NC-4.0"]);
  });

  it("picks the suggested licence when allowed, else the first recommended", () => {
    expect(initialChoice(allowed, "CC-BY-4.0")).toBe("CC-BY-4.0");
    expect(initialChoice(allowed, "MIT")).toBe("CC-BY-SA-4.0");
    expect(initialChoice(allowed, null)).toBe("CC-BY-SA-4.0");
    expect(initialChoice([{ id: "X", recommended: false }], null)).toBe("X");
    expect(initialChoice([], null)).toBeNull();
  });

  it("opens more choices when the pick is among them", () => {
    expect(showsMore(allowed, "CC-BY-NC-4.0")).toBe(true);
    expect(showsMore(allowed, "CC-BY-4.0")).toBe(false);
  });
});

describe("DraftAutosaver", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it("saves once typing pauses for the delay, with the latest text", async () => {
    const saved: string[] = [];
    const statuses: AutosaveStatus[] = [];
    const saver = new DraftAutosaver(
      async (text) => {
        saved.push(text);
      },
      { delayMs: 3000, onstatus: (status) => statuses.push(status) },
    );
    saver.changed("a");
    await vi.advanceTimersByTimeAsync(2000);
    saver.changed("ab");
    await vi.advanceTimersByTimeAsync(2999);
    expect(saved).toEqual([]);
    expect(saver.pending).toBe(true);
    await vi.advanceTimersByTimeAsync(1);
    expect(saved).toEqual(["ab"]);
    expect(saver.pending).toBe(false);
    expect(statuses.at(-1)).toBe("saved");
  });

  it("saves at once on flush, and nothing after cancel", async () => {
    const saved: string[] = [];
    const saver = new DraftAutosaver(async (text) => void saved.push(text), { delayMs: 3000 });
    saver.changed("x");
    await saver.flush();
    expect(saved).toEqual(["x"]);
    saver.changed("y");
    saver.cancel();
    await vi.advanceTimersByTimeAsync(5000);
    expect(saved).toEqual(["x"]);
  });

  it("keeps the text after a failed save, to try again", async () => {
    let fail = true;
    const saved: string[] = [];
    const statuses: AutosaveStatus[] = [];
    const saver = new DraftAutosaver(
      async (text) => {
        if (fail) throw new Error("disk full");
        saved.push(text);
      },
      { delayMs: 1000, onstatus: (status) => statuses.push(status) },
    );
    saver.changed("keep me");
    await vi.advanceTimersByTimeAsync(1000);
    expect(statuses.at(-1)).toBe("failed");
    expect(saver.pending).toBe(true);
    fail = false;
    await saver.flush();
    expect(saved).toEqual(["keep me"]);
  });
});

describe("the preview", () => {
  it("reads resource ids from image addresses", () => {
    expect(resourceOfImage("resource:0b6f3c1e-1111-4222-8333-944445555666")).toBe(
      "0b6f3c1e-1111-4222-8333-944445555666",
    );
    expect(resourceOfImage("https://example.org/a.png")).toBeNull();
  });

  it("typesets math spans in place, display ones as display", () => {
    const fragment = parseSanitised(
      '<p><span class="math math-inline">x^2</span> and <span class="math math-display">\\frac12</span></p>',
    );
    const seen: Array<[string, boolean]> = [];
    typesetMath(fragment, (tex, element, display) => {
      seen.push([tex, display]);
      element.textContent = `typeset:${tex}`;
    });
    expect(seen).toEqual([
      ["x^2", false],
      ["\\frac12", true],
    ]);
    expect(fragment.textContent).toContain("typeset:x^2");
  });

  it("swaps resource images for thumbnails, and the missing for a note", async () => {
    const fragment = parseSanitised(
      '<p><img src="resource:0b6f3c1e-1111-4222-8333-944445555666" alt="Cell"><img src="resource:aaaaaaaa-1111-4222-8333-944445555666" alt="Gone"></p>',
    );
    await resolveImages(
      fragment,
      async (id) => (id.startsWith("0b6f") ? "data:image/png;base64,AAAA" : null),
      (alt) => `missing ${alt}`,
    );
    const images = fragment.querySelectorAll("img");
    expect(images).toHaveLength(1);
    expect(images[0]?.getAttribute("src")).toBe("data:image/png;base64,AAAA");
    expect(fragment.querySelector(".missing-image")?.textContent).toBe("missing Gone");
  });
});

describe("relativeTime", () => {
  afterEach(() => setLocale("en"));

  it("says how long ago, in the window's language", () => {
    const now = Date.UTC(2025, 4, 10, 12);
    expect(relativeTime(now - 30_000, now)).toBeNull();
    expect(relativeTime(now - 5 * 60_000, now)).toBe("5 minutes ago");
    expect(relativeTime(now - 24 * 3600_000, now)).toBe("yesterday");
    setLocale("fr");
    expect(relativeTime(now - 2 * 3600_000, now)).toBe("il y a 2 heures");
  });
});
