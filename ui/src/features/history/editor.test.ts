import { fireEvent, render, screen, waitFor } from "@testing-library/svelte";
import { beforeAll, describe, expect, it } from "vitest";
import type { EditableText } from "../../api";
import { sampleResource } from "../../test/library";
import { argsOf, ipcError, mockShell } from "../../test/shell";
import { bundleFileName, importFrom } from "./bundles";
import { closeBundleReport, overlays } from "./overlays.svelte";
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

  it("offers an earlier draft back, and saves from the draft's version", async () => {
    mockShell({
      history_get_text: { ok: editable },
      history_render_preview: {
        handle: ({ request }) =>
          `<h1>${request.text.includes("roots") ? "Leaves and roots" : "Leaves"}</h1><p><span class="math math-inline">x^2</span><img src="resource:${IMAGE}" alt="Leaf"></p>`,
      },
      library_get_thumbnail: { ok: "data:image/png;base64,AAAA" },
      history_save_text: { ok: sampleResource("res-1", "Leaves", { head: "h3" }) },
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

  it("says plainly when the resource moved on and the text was kept as a draft", async () => {
    mockShell({
      history_get_text: { ok: { ...editable, draft: null } },
      history_render_preview: { ok: "<p>x</p>" },
      history_save_text: ipcError("conflict", "moved on"),
    });
    render(TextEditor, { id: "res-1", title: "Leaves", onclose: () => {} });
    await screen.findByTestId("editor");
    await fireEvent.keyDown(screen.getByTestId("editor"), { key: "s", ctrlKey: true });
    const error = await screen.findByTestId("editor-error");
    expect(error.textContent).toContain("changed elsewhere");
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
