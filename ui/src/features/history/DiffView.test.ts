import { render, screen, waitFor, within } from "@testing-library/svelte";
import { tick } from "svelte";
import { describe, expect, it } from "vitest";
import type { NoTextDiff, RevisionDiff, TextDiff } from "../../api";
import { argsOf, mockShell } from "../../test/shell";
import DiffView from "./DiffView.svelte";

const lf = { lineEnding: "lf" as const, byteOrderMark: false, finalNewline: true };

function textDiff(overrides: Partial<TextDiff>): RevisionDiff {
  return {
    from: "r1",
    to: "r2",
    metadata: [],
    sameContent: false,
    text: {
      oldFormat: lf,
      newFormat: lf,
      oldLineCount: 2,
      newLineCount: 2,
      lineBreaksChanged: false,
      hunks: [],
      ...overrides,
    },
    noTextDiff: null,
    fromSize: 12,
    toSize: 14,
    fromMediaType: "text/plain",
    toMediaType: "text/plain",
  };
}

function wholeDiff(
  reason: NoTextDiff,
  from = "r1",
  to = "r2",
  types: [string, string] = ["image/png", "image/png"],
): RevisionDiff {
  return {
    from,
    to,
    metadata: [],
    sameContent: false,
    text: null,
    noTextDiff: reason,
    fromSize: 2048,
    toSize: 4096,
    fromMediaType: types[0],
    toMediaType: types[1],
  };
}

const props = { id: "res-1", from: "r1", to: "r2", fromTime: 0, toTime: 0, onclose: () => {} };

const BEFORE = "data:image/png;base64,QkVGT1JF";
const AFTER = "data:image/png;base64,QUZURVI=";

async function shown(): Promise<HTMLElement> {
  const view = screen.getByTestId("diff-view");
  await waitFor(() => expect(within(view).queryByRole("status")).toBeNull());
  return view;
}

describe("DiffView", () => {
  it("describes a change of line endings alone instead of calling it no change", async () => {
    mockShell({
      history_diff_revisions: {
        ok: textDiff({ oldFormat: { ...lf, lineEnding: "crlf" }, newFormat: lf }),
      },
    });
    render(DiffView, props);
    const view = await shown();
    expect(within(view).getByTestId("diff-format-only").textContent).toContain(
      "The words and lines are the same",
    );
    const changes = within(view).getAllByTestId("diff-format-change");
    expect(changes.map((change) => change.textContent?.trim())).toEqual([
      "Line endings (the invisible mark at the end of each line) changed from Windows style (CRLF) to Mac/Linux style (LF).",
    ]);
    expect(within(view).queryByTestId("diff-same")).toBeNull();
    expect(view.textContent).not.toContain("The content is the same");
    expect(within(view).queryAllByTestId("diff-row")).toHaveLength(0);
  });

  it("says when only some lines' breaks changed", async () => {
    mockShell({ history_diff_revisions: { ok: textDiff({ lineBreaksChanged: true }) } });
    render(DiffView, props);
    const view = await shown();
    const [change] = within(view).getAllByTestId("diff-format-change");
    expect(change?.dataset["kind"]).toBe("lineBreaks");
    expect(change?.textContent).toContain(
      "Only line breaks changed: some lines now end differently (Windows or Mac/Linux style).",
    );
    expect(view.textContent).not.toContain("The content is the same");
  });

  it("lists format changes above the changed lines", async () => {
    mockShell({
      history_diff_revisions: {
        ok: textDiff({
          oldFormat: { ...lf, byteOrderMark: true, finalNewline: false },
          newFormat: lf,
          hunks: [
            {
              old: { start: 0, end: 1 },
              new: { start: 0, end: 1 },
              oldLines: [{ segments: [{ text: "leaf", changed: true }] }],
              newLines: [{ segments: [{ text: "leaves", changed: true }] }],
            },
          ],
        }),
      },
    });
    render(DiffView, props);
    const view = await shown();
    const kinds = within(view)
      .getAllByTestId("diff-format-change")
      .map((change) => change.dataset["kind"]);
    expect(kinds).toEqual(["byteOrderMark", "finalNewline"]);
    expect(view.textContent).toContain("The byte order mark at the start was removed");
    expect(view.textContent).toContain("A line break was added at the end, after the last line.");
    expect(within(view).queryByTestId("diff-format-only")).toBeNull();
    expect(within(view).getAllByTestId("diff-row")).toHaveLength(1);
    // Said before the lines, where it is read first.
    const format = within(view).getByTestId("diff-format");
    const hunks = within(view).getByTestId("diff-text");
    expect(format.compareDocumentPosition(hunks) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
  });

  it("shows no format section when only the lines changed", async () => {
    mockShell({
      history_diff_revisions: {
        ok: textDiff({
          hunks: [
            {
              old: { start: 0, end: 1 },
              new: { start: 0, end: 1 },
              oldLines: [{ segments: [{ text: "a", changed: true }] }],
              newLines: [{ segments: [{ text: "b", changed: true }] }],
            },
          ],
        }),
      },
    });
    render(DiffView, props);
    const view = await shown();
    expect(within(view).getAllByTestId("diff-row")).toHaveLength(1);
    expect(within(view).queryByTestId("diff-format")).toBeNull();
  });

  it.each<[NoTextDiff, string]>([
    [
      "notText",
      "This kind of file (such as a PDF, a picture or a document) can’t be compared line by line, so it is compared as a whole.",
    ],
    ["tooLarge", "This text is too large to compare line by line, so it is compared as a whole."],
    [
      "notUtf8",
      "This text uses an encoding other than UTF-8 (another way of storing its letters), so it is compared as a whole.",
    ],
    [
      "looksBinary",
      "This file should be text but holds data that isn’t, so it is compared as a whole.",
    ],
  ])("says why %s content is not compared line by line", async (reason, sentence) => {
    mockShell({
      history_diff_revisions: { ok: wholeDiff(reason, "r1", "r2", ["text/plain", "text/plain"]) },
      history_revision_thumbnail: { ok: null },
    });
    render(DiffView, props);
    const view = await shown();
    const said = within(view).getByTestId("diff-no-text");
    expect(said.dataset["reason"]).toBe(reason);
    expect(said.textContent?.trim()).toBe(sentence);
    expect(within(view).queryByTestId("diff-same")).toBeNull();
  });

  it("shows the before and after previews side by side with their types and sizes", async () => {
    mockShell({
      history_diff_revisions: { ok: wholeDiff("notText") },
      history_revision_thumbnail: {
        handle: ({ request }) => (request.revision === "r1" ? BEFORE : AFTER),
      },
    });
    render(DiffView, props);
    const view = await shown();
    const before = within(view).getByTestId("diff-binary-before");
    const after = within(view).getByTestId("diff-binary-after");
    await waitFor(() =>
      expect(within(before).getByTestId("diff-preview-image").getAttribute("src")).toBe(BEFORE),
    );
    await waitFor(() =>
      expect(within(after).getByTestId("diff-preview-image").getAttribute("src")).toBe(AFTER),
    );
    expect(within(before).getByTestId("diff-preview-image").getAttribute("alt")).toBe(
      "Preview: Before",
    );
    expect(before.textContent).toContain("Image, 2 kB");
    expect(after.textContent).toContain("Image, 4.1 kB");
    expect(argsOf("history_revision_thumbnail")).toEqual([
      { request: { id: "res-1", revision: "r1" } },
      { request: { id: "res-1", revision: "r2" } },
    ]);
  });

  it("shows each file's kind when there is no preview, or none the window may show", async () => {
    mockShell({
      history_diff_revisions: {
        ok: wholeDiff("notText", "r1", "r2", ["application/pdf", "image/png"]),
      },
      history_revision_thumbnail: {
        handle: ({ request }) => (request.revision === "r1" ? null : "https://example.org/a.png"),
      },
    });
    render(DiffView, props);
    const view = await shown();
    const before = within(view).getByTestId("diff-binary-before");
    const after = within(view).getByTestId("diff-binary-after");
    await waitFor(() => expect(within(before).getByTestId("diff-preview-fallback")).toBeTruthy());
    await waitFor(() => expect(within(after).getByTestId("diff-preview-fallback")).toBeTruthy());
    expect(within(before).getByTestId("diff-preview-fallback").dataset["kind"]).toBe("pdf");
    expect(within(view).queryByTestId("diff-preview-image")).toBeNull();
    expect(before.textContent).toContain("PDF, 2 kB");
  });

  it("asks for no previews when the text could be compared", async () => {
    mockShell({ history_diff_revisions: { ok: textDiff({ lineBreaksChanged: true }) } });
    render(DiffView, props);
    await shown();
    expect(argsOf("history_revision_thumbnail")).toEqual([]);
  });

  it("drops a late preview of revisions no longer compared", async () => {
    let late: (url: string) => void = () => {};
    const slow = new Promise<string>((resolve) => (late = resolve));
    mockShell({
      history_diff_revisions: {
        handle: ({ request }) => wholeDiff("notText", request.from, request.to),
      },
      history_revision_thumbnail: {
        handle: ({ request }) => (request.revision === "r1" ? slow : null),
      },
    });
    const { rerender } = render(DiffView, props);
    await shown();
    await rerender({ from: "r0" });
    await waitFor(() =>
      expect(argsOf("history_revision_thumbnail")).toContainEqual({
        request: { id: "res-1", revision: "r0" },
      }),
    );
    const before = screen.getByTestId("diff-binary-before");
    await waitFor(() => expect(within(before).getByTestId("diff-preview-fallback")).toBeTruthy());
    late(BEFORE);
    // Let the late answer travel through the IPC mock and the component's promise chain.
    await new Promise((resolve) => setTimeout(resolve, 20));
    await tick();
    expect(within(screen.getByTestId("diff-view")).queryByTestId("diff-preview-image")).toBeNull();
    expect(
      within(screen.getByTestId("diff-binary-before")).getByTestId("diff-preview-fallback"),
    ).toBeTruthy();
  });
});
