import { render, screen, waitFor } from "@testing-library/svelte";
import { describe, expect, it } from "vitest";
import type { SearchHit } from "../../api";
import { sampleHit } from "../../test/library";
import { argsOf, mockShell } from "../../test/shell";
import ResourcePicker from "./ResourcePicker.svelte";

const found = [sampleHit("res-2", "A poem"), sampleHit("res-3", "Pizza photo")];

function renderPicker(props: { exclude?: string[]; accept?: (hit: SearchHit) => boolean }) {
  render(ResourcePicker, {
    label: "Search your library",
    empty: "Nothing found.",
    chosen: "Everything found is already chosen.",
    testid: "picker",
    onpick: () => {},
    ...props,
  });
}

const message = () => screen.getByTestId("picker-empty").textContent?.trim();

/** Waits until the search has been asked and its answer has come back. */
async function searched() {
  await waitFor(() => expect(argsOf("library_search_resources")).toHaveLength(1));
  await new Promise((resolve) => setTimeout(resolve, 0));
}

describe("ResourcePicker", () => {
  it("says everything found is chosen, not that nothing was found, when all are excluded", async () => {
    mockShell({ library_search_resources: { ok: found } });
    renderPicker({ exclude: ["res-2", "res-3"] });
    await searched();
    expect(message()).toBe("Everything found is already chosen.");
    expect(screen.queryByTestId("picker-option")).toBeNull();
  });

  it("still says nothing was found when the search finds nothing", async () => {
    mockShell({ library_search_resources: { ok: [] } });
    renderPicker({ exclude: ["res-2"] });
    await searched();
    expect(message()).toBe("Nothing found.");
  });

  it("says nothing was found when what was found is not of the kind asked for", async () => {
    mockShell({ library_search_resources: { ok: found } });
    renderPicker({ accept: (hit) => hit.mediaType.startsWith("image/"), exclude: ["res-9"] });
    await searched();
    expect(message()).toBe("Nothing found.");
  });
});
