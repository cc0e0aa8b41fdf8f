import { render, screen } from "@testing-library/svelte";
import { describe, expect, it } from "vitest";
import { mockShell } from "../../test/shell";
import PreviewPane from "./PreviewPane.svelte";

describe("PreviewPane", () => {
  it("shows text as text, never as markup", async () => {
    mockShell({
      library_get_preview: { ok: { kind: "text", text: "<b>not bold</b>", truncated: true } },
    });
    render(PreviewPane, { id: "r1", updatedAt: 1, headingId: "h" });
    const text = await screen.findByTestId("resource-preview-text");
    expect(text.textContent).toBe("<b>not bold</b>");
    expect(text.querySelector("b")).toBeNull();
    expect(screen.getByText("Only the beginning is shown.")).toBeTruthy();
  });

  it("shows the HTML the library sanitised", async () => {
    mockShell({
      library_get_preview: {
        ok: { kind: "html", html: "<h1>Cells</h1><p>Read</p>", truncated: false },
      },
    });
    render(PreviewPane, { id: "r2", updatedAt: 1, headingId: "h" });
    const html = await screen.findByTestId("resource-preview-html");
    expect(html.querySelector("h1")?.textContent).toBe("Cells");
    expect(screen.queryByText("Only the beginning is shown.")).toBeNull();
  });

  it("shows nothing for kinds without a preview", async () => {
    mockShell({ library_get_preview: { ok: { kind: "none" } } });
    const { container } = render(PreviewPane, { id: "r3", updatedAt: 1, headingId: "h" });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(container.querySelector("[data-testid='resource-preview']")).toBeNull();
  });
});
