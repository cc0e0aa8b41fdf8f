import { fireEvent, render, screen, waitFor } from "@testing-library/svelte";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import type { EditableText, MergeState, SaveOutcome } from "../../api";
import { notices } from "../../components/notices.svelte";
import { sampleResource } from "../../test/library";
import { argsOf, ipcError, mockShell } from "../../test/shell";
import { bundleFileName, importFrom } from "./bundles";
import { closeBundleReport, closeMerge, historyEvents, overlays } from "./overlays.svelte";
import TextEditor from "./TextEditor.svelte";

const IMAGE = "0b6f3c1e-1111-4222-8333-944445555666";

const editable: EditableText = {
  resourceId: "res-1",
  head: "h2",
  text: "# Leaves\n",
  mode: "markdown",
  fileName: "leaves.md",
  draft: { baseHead: "h1", text: "# Leaves and roots\n", savedAt: Date.UTC(2025, 0, 2, 10) },
};

/** The merge a save makes when the draft's changes overlap the newer ones. */
const overlapping: MergeState = {
  resourceId: "res-1",
  ours: "h2",
  theirs: "h3",
  base: "h1",
  theirsLabel: "your edits made in the editor",
  content: {
    kind: "text",
    merge: {
      kind: "conflicted",
      format: { lineEnding: "lf", byteOrderMark: false, finalNewline: true },
      regions: [
        {
          kind: "conflict",
          base: "# Leaf\n",
          ours: "# Leaves\n",
          theirs: "# Leaves and roots\n",
          resolution: null,
        },
      ],
    },
  },
  metadata: { merged: {}, conflicts: [] },
  fileName: "leaves.md",
  mediaType: "text/markdown",
  baseSize: 7,
  oursSize: 9,
  theirsSize: 19,
  unresolved: 1,
  startedAt: 0,
};

const said = () => notices.map((notice) => notice.message);

function editorText(): string {
  const host = screen.getByTestId("editor");
  return host.shadowRoot?.querySelector(".cm-content")?.textContent ?? "";
}

describe("TextEditor", () => {
  beforeAll(() => {
    // CodeMirror calls this when it replaces the text of a focused editor; jsdom lacks it.
    document.execCommand ??= () => false;
    // And it measures text ranges, which jsdom does not lay out.
    Range.prototype.getClientRects ??= () =>
      ({
        length: 0,
        item: () => null,
        [Symbol.iterator]: [][Symbol.iterator],
      }) as unknown as DOMRectList;
    Range.prototype.getBoundingClientRect ??= () => new DOMRect();
  });

  afterEach(() => {
    closeMerge();
    historyEvents.updated = null;
  });

  it("offers an earlier draft back, and saves from the draft's version", async () => {
    mockShell({
      history_get_text: { ok: editable },
      history_render_preview: {
        handle: ({ request }) =>
          `<h1>${request.text.includes("roots") ? "Leaves and roots" : "Leaves"}</h1><p><span class="math math-inline">x^2</span><img src="resource:${IMAGE}" alt="Leaf"></p>`,
      },
      library_get_thumbnail: { ok: "data:image/png;base64,AAAA" },
      history_save_text: {
        ok: { status: "saved", resource: sampleResource("res-1", "Leaves", { head: "h3" }) },
      },
    });
    render(TextEditor, { id: "res-1", title: "Leaves", onclose: () => {} });
    await screen.findByTestId("editor-draft");
    expect(editorText()).toContain("# Leaves");
    await fireEvent.click(screen.getByTestId("editor-draft-restore"));
    expect(editorText()).toContain("roots");
    expect(screen.queryByTestId("editor-draft")).toBeNull();

    const preview = screen.getByTestId("editor-preview");
    await waitFor(() => expect(preview.querySelector("h1")?.textContent).toBe("Leaves and roots"));
    // Math is typeset by KaTeX, and library images shown from their thumbnails.
    expect(preview.querySelector(".katex")).not.toBeNull();
    expect(preview.querySelector("img")?.getAttribute("src")).toBe("data:image/png;base64,AAAA");

    await fireEvent.input(screen.getByTestId("editor-message"), {
      target: { value: "Added roots" },
    });
    await fireEvent.click(screen.getByTestId("editor-save"));
    await waitFor(() =>
      expect(argsOf("history_save_text")).toEqual([
        {
          request: {
            id: "res-1",
            baseHead: "h1",
            text: "# Leaves and roots\n",
            message: "Added roots",
          },
        },
      ]),
    );
  });

  it("saves as a new version, and bases the next save on it", async () => {
    const saved = sampleResource("res-1", "Leaves", { head: "h3" });
    mockShell({
      history_get_text: { ok: { ...editable, draft: null } },
      history_render_preview: { ok: "<p>x</p>" },
      history_save_text: { ok: { status: "saved", resource: saved } },
    });
    render(TextEditor, { id: "res-1", title: "Leaves", onclose: () => {} });
    await screen.findByTestId("editor");
    await fireEvent.input(screen.getByTestId("editor-message"), {
      target: { value: "Fixed a typo" },
    });
    await fireEvent.click(screen.getByTestId("editor-save"));
    await waitFor(() => expect(said()).toContain("Saved as a new version."));
    expect(historyEvents.updated).toEqual(saved);
    expect(screen.queryByTestId("editor-error")).toBeNull();
    expect((screen.getByTestId("editor-message") as HTMLInputElement).value).toBe("");

    await fireEvent.click(screen.getByTestId("editor-save"));
    await waitFor(() => expect(argsOf("history_save_text")).toHaveLength(2));
    expect(argsOf("history_save_text").map(({ request }) => request.baseHead)).toEqual([
      "h2",
      "h3",
    ]);
  });

  it("combines a draft from an older version with the changes made since, and shows the result", async () => {
    const combined = "# Leaves and roots\n\nStems carry water.\n";
    const merged = sampleResource("res-1", "Leaves", { head: "h4" });
    // What the editor opens with, then the text after each save.
    const versions: EditableText[] = [
      editable,
      { ...editable, head: "h4", text: combined, draft: null },
      { ...editable, head: "h5", text: `${combined}Roots hold the soil.\n`, draft: null },
    ];
    mockShell({
      history_get_text: { handle: () => versions.shift()! },
      history_render_preview: { ok: "<p>x</p>" },
      history_save_text: { ok: { status: "merged", resource: merged } },
      history_save_draft: { ok: null },
    });
    const onclose = vi.fn();
    const { unmount } = render(TextEditor, { id: "res-1", title: "Leaves", onclose });
    const banner = await screen.findByTestId("editor-draft");
    // The draft started from h1 while the text is at h2: saving it combines, nothing is lost.
    expect(banner.textContent).toContain("earlier version");
    expect(banner.textContent).toContain("combines them with the changes made since");
    expect(banner.textContent).toContain("nothing is lost");
    await fireEvent.click(screen.getByTestId("editor-draft-restore"));

    await fireEvent.click(screen.getByTestId("editor-save"));
    await waitFor(() => expect(editorText()).toContain("Stems carry water."));
    expect(said()).toContain(
      "Saved. This resource had changed since you started editing; your changes and those were combined.",
    );
    expect(historyEvents.updated).toEqual(merged);
    expect(argsOf("history_get_text")).toHaveLength(2);
    expect(screen.queryByTestId("editor-error")).toBeNull();
    expect(screen.queryByTestId("editor-draft")).toBeNull();
    // The combined text is saved: nothing waits to be kept, and closing asks nothing.
    expect(screen.queryByTestId("editor-autosave")).toBeNull();
    await fireEvent.click(screen.getByTestId("editor-close"));
    expect(onclose).toHaveBeenCalledOnce();

    // The next save is based on the combined version.
    await fireEvent.click(screen.getByTestId("editor-save"));
    await waitFor(() => expect(editorText()).toContain("Roots hold the soil."));
    expect(argsOf("history_save_text")[1]?.request).toMatchObject({
      baseHead: "h4",
      text: combined,
    });

    // Closing keeps whatever change still waits as a draft; showing the combined text was none.
    unmount();
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(argsOf("history_save_draft")).toEqual([]);
  });

  it("leaves text changed during a combining save as it is, and keeps it as a draft", async () => {
    let finishSave: (outcome: SaveOutcome) => void = () => {};
    mockShell({
      history_get_text: { ok: editable },
      history_render_preview: { ok: "<p>x</p>" },
      history_save_text: { pending: new Promise((resolve) => (finishSave = resolve)) },
      history_save_draft: { ok: null },
    });
    const { unmount } = render(TextEditor, { id: "res-1", title: "Leaves", onclose: () => {} });
    await screen.findByTestId("editor-draft");
    await fireEvent.click(screen.getByTestId("editor-save"));
    await waitFor(() => expect(argsOf("history_save_text")).toHaveLength(1));
    // The one way to change the text here while the save runs: take the draft back.
    await fireEvent.click(screen.getByTestId("editor-draft-restore"));
    finishSave({ status: "merged", resource: sampleResource("res-1", "Leaves", { head: "h4" }) });
    await waitFor(() =>
      expect(screen.getByTestId("editor-autosave").textContent).toContain("Unsaved changes"),
    );
    expect(argsOf("history_get_text")).toHaveLength(2);
    expect(editorText()).toContain("roots");

    unmount();
    await waitFor(() =>
      expect(argsOf("history_save_draft")).toEqual([
        { request: { id: "res-1", baseHead: "h1", text: "# Leaves and roots\n" } },
      ]),
    );
  });

  it("opens the merge view when the draft's changes overlap the newer ones", async () => {
    mockShell({
      history_get_text: { ok: editable },
      history_render_preview: { ok: "<p>x</p>" },
      history_save_text: { ok: { status: "conflicts", merge: overlapping } },
    });
    const onclose = vi.fn();
    render(TextEditor, { id: "res-1", title: "Leaves", onclose });
    await fireEvent.click(await screen.findByTestId("editor-draft-restore"));
    await fireEvent.click(screen.getByTestId("editor-save"));
    await waitFor(() => expect(overlays.merge).toEqual(overlapping));
    expect(onclose).toHaveBeenCalledOnce();
    expect(said()).toContain(
      "Your text is kept, but this resource had changed since you started editing and some of the changes overlap. Choose which to keep.",
    );
    expect(historyEvents.updated).toBeNull();
  });

  it("says plainly when another unfinished merge holds the save back", async () => {
    mockShell({
      history_get_text: { ok: { ...editable, draft: null } },
      history_render_preview: { ok: "<p>x</p>" },
      history_save_text: ipcError("conflict", "resource res-1 has an unfinished merge"),
    });
    const onclose = vi.fn();
    render(TextEditor, { id: "res-1", title: "Leaves", onclose });
    await screen.findByTestId("editor");
    await fireEvent.keyDown(screen.getByTestId("editor"), { key: "s", ctrlKey: true });
    const error = await screen.findByTestId("editor-error");
    expect(error.textContent).toContain("other changes are still being brought into this resource");
    expect(error.textContent).toContain("kept as unsaved changes");
    expect(error.textContent).toContain("resource res-1 has an unfinished merge");
    expect(onclose).not.toHaveBeenCalled();
    expect(overlays.merge).toBeNull();
    expect(said()).toEqual([]);
  });
});

describe("bundles", () => {
  it("names the file after the title, without characters file systems refuse", () => {
    expect(bundleFileName('Fractions: "part 1"/2')).toBe("Fractions part 1 2.commonplace");
    expect(bundleFileName("  ")).toBe("Commonplace.commonplace");
  });

  it("imports a bundle from a given path and shows its report", async () => {
    const report = {
      resources: [{ id: "res-1", title: "Leaves", outcome: "diverged" as const }],
      collection: null,
      newRevisions: 2,
    };
    mockShell({ history_import_bundle: { ok: report } });
    await expect(importFrom("/home/ada/in.commonplace")).resolves.toEqual(report);
    expect(argsOf("history_import_bundle")).toEqual([
      { request: { path: "/home/ada/in.commonplace" } },
    ]);
    expect(overlays.report).toEqual(report);
    closeBundleReport();
  });
});
