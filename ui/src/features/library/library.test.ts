import { emit } from "@tauri-apps/api/event";
import { mockWindows } from "@tauri-apps/api/mocks";
import { fireEvent, render, screen, waitFor, within } from "@testing-library/svelte";
import { describe, expect, it, vi } from "vitest";
import App from "../../App.svelte";
import type {
  ImportProgress,
  ImportReport,
  LibraryInfo,
  LicenceTerms,
  Lineage,
  ResourceDetails,
  SearchHit,
  SearchQuery,
} from "../../api";
import { sampleHit, sampleReport, sampleResource } from "../../test/library";
import { FILL_IN_INTERVAL_MS } from "./importer.svelte";
import {
  argsOf,
  ipcError,
  mockShell,
  pluginArgsOf,
  sampleLibrary,
  type FakePlugins,
  type FakeShell,
} from "../../test/shell";

/**
 * A small library behind the fake shell: searching lists what is (or is not) in the trash, and
 * trashing, restoring, editing and emptying the trash change it, so the window's refreshes show
 * real effects.
 */
function fakeLibrary(resources: ResourceDetails[]) {
  const all = new Map(resources.map((resource) => [resource.id, resource]));
  const info = (): LibraryInfo => ({
    ...sampleLibrary,
    resourceCount: [...all.values()].filter((resource) => resource.trashedAt === null).length,
  });
  const toHit = (resource: ResourceDetails): SearchHit =>
    sampleHit(resource.id, resource.metadata.title, {
      licence: resource.metadata.licence,
      mediaType: resource.mediaType,
      fileName: resource.fileName,
      trashedAt: resource.trashedAt,
      updatedAt: resource.updatedAt,
    });
  const matching = (request: SearchQuery) =>
    [...all.values()]
      .filter((resource) => (resource.trashedAt !== null) === request.trashed)
      .filter((resource) =>
        resource.metadata.title.toLowerCase().includes(request.text.trim().toLowerCase()),
      )
      .filter((resource) => !request.licence || resource.metadata.licence === request.licence);
  const facet = (values: string[]) => {
    const counts = new Map<string, number>();
    for (const value of values) if (value) counts.set(value, (counts.get(value) ?? 0) + 1);
    return [...counts].map(([value, count]) => ({ value, count }));
  };
  const shell: FakeShell = {
    library_get_info: { handle: info },
    library_search_resources: {
      handle: ({ request }) =>
        matching(request)
          .slice(request.offset, request.offset + request.limit)
          .map(toHit),
    },
    library_count_resources: { handle: ({ request }) => matching(request).length },
    library_list_facets: {
      handle: () => {
        const live = [...all.values()].filter((resource) => resource.trashedAt === null);
        return {
          licences: facet(live.map((resource) => resource.metadata.licence)),
          resourceTypes: facet(live.map((resource) => resource.metadata.resourceType)),
          languages: facet(live.map((resource) => resource.metadata.language)),
          educationalLevels: facet(live.map((resource) => resource.metadata.educationalLevel)),
        };
      },
    },
    library_get_resource: {
      handle: ({ request }) => {
        const resource = all.get(request.id);
        if (!resource) throw { kind: "notFound", message: `no resource ${request.id}` };
        return resource;
      },
    },
    library_update_metadata: {
      handle: ({ request }) => {
        const resource = all.get(request.id)!;
        const metadata = { ...resource.metadata, sources: { ...resource.metadata.sources } };
        for (const { field, value } of request.changes) {
          if (field === "creators" || field === "keywords") {
            metadata[field] = value.split(";").map((item) => item.trim());
          } else {
            metadata[field] = value;
          }
          metadata.sources[field] = "user";
        }
        const updated = { ...resource, metadata, revisionCount: resource.revisionCount + 1 };
        all.set(request.id, updated);
        return updated;
      },
    },
    library_trash_resource: {
      handle: ({ request }) => {
        all.set(request.id, { ...all.get(request.id)!, trashedAt: Date.UTC(2024, 5, 1) });
        return null;
      },
    },
    library_restore_resource: {
      handle: ({ request }) => {
        all.set(request.id, { ...all.get(request.id)!, trashedAt: null });
        return null;
      },
    },
    library_empty_trash: {
      handle: () => {
        const trashed = [...all.values()].filter((resource) => resource.trashedAt !== null);
        for (const resource of trashed) all.delete(resource.id);
        return { resources: trashed.length, objects: trashed.length };
      },
    },
  };
  return { shell, all };
}

const photosynthesis = sampleResource("r-photo", "Photosynthesis");
const leaf = sampleResource("r-leaf", "Parts of a leaf", {
  metadata: {
    ...sampleResource("r-leaf", "").metadata,
    title: "Parts of a leaf",
    licence: "unknown",
  },
});
const cells = sampleResource("r-cells", "Cell division", { mediaType: "text/html" });
const oldWorksheet = sampleResource("r-old", "Old worksheet", { trashedAt: Date.UTC(2024, 4, 20) });

const dialog = (paths: string[] | null): FakePlugins => ({ "plugin:dialog|open": { ok: paths } });

function searches(): SearchQuery[] {
  return argsOf("library_search_resources").map((args) => args.request);
}

const rows = () => screen.getAllByTestId("resource-row");

async function openLibrary(shell: FakeShell, plugins: FakePlugins = {}): Promise<string[]> {
  const calls = mockShell(shell, { plugins });
  render(App);
  await screen.findByTestId("resource-list");
  return calls;
}

async function type(text: string) {
  await fireEvent.input(screen.getByTestId("library-search"), { target: { value: text } });
}

async function openDetail(index: number): Promise<HTMLElement> {
  await fireEvent.click(rows()[index]!);
  const detail = await screen.findByTestId("resource-detail");
  await within(detail).findByTestId("resource-detail-title");
  return detail;
}

describe("the resource list", () => {
  it("lists the library with title, licence and kind, a page at a time", async () => {
    const { shell } = fakeLibrary([photosynthesis, leaf, cells, oldWorksheet]);
    await openLibrary(shell);

    expect(rows().map((row) => row.dataset["resourceId"])).toEqual([
      "r-photo",
      "r-leaf",
      "r-cells",
    ]);
    const first = rows()[0]!;
    expect(within(first).getByTestId("resource-row-title").textContent?.trim()).toBe(
      "Photosynthesis",
    );
    expect(within(first).getByTestId("licence-badge").textContent?.trim()).toBe("CC BY-SA 4.0");
    expect(first.textContent).toContain("PDF");
    expect(within(rows()[1]!).getByTestId("licence-badge").textContent?.trim()).toBe(
      "Unknown licence",
    );
    expect(rows()[2]!.textContent).toContain("Web page");
    expect(screen.getByTestId("library-status").textContent).toBe("3 resources");
    expect(searches()[0]).toEqual({
      text: "",
      licence: null,
      resourceType: null,
      language: null,
      educationalLevel: null,
      collection: null,
      trashed: false,
      sort: "relevance",
      limit: 200,
      offset: 0,
    });
  });

  it("loads 200 rows at a time and the next page on Show more", async () => {
    const many = Array.from({ length: 250 }, (_, index) => sampleHit(`r${index}`, `Unit ${index}`));
    await openLibrary({
      library_get_info: { ok: { ...sampleLibrary, resourceCount: 250 } },
      library_search_resources: {
        handle: ({ request }) => many.slice(request.offset, request.offset + request.limit),
      },
      library_count_resources: { ok: 250 },
    });

    expect(rows()).toHaveLength(200);
    expect(screen.getByTestId("library-status").textContent).toBe("Showing 200 of 250 resources");
    await fireEvent.click(screen.getByTestId("resource-list-more"));
    await waitFor(() => expect(rows()).toHaveLength(250));
    expect(screen.queryByTestId("resource-list-more")).toBeNull();
    const pages = searches().filter((query) => query.limit === 200);
    expect(pages.map((query) => query.offset)).toEqual([0, 200]);
  });

  it("searches as you type, once typing pauses", async () => {
    const { shell } = fakeLibrary([photosynthesis, leaf, cells]);
    await openLibrary(shell);

    await type("p");
    await type("pa");
    await type("part");
    await waitFor(() => expect(rows()).toHaveLength(1));
    expect(rows()[0]!.dataset["resourceId"]).toBe("r-leaf");
    const texts = searches().map((query) => query.text);
    expect(texts).toContain("part");
    expect(texts).not.toContain("p");
    expect(texts).not.toContain("pa");
    expect(screen.getByTestId("library-status").textContent).toBe("1 result");
  });

  it("renders matched snippet parts as <mark> and markup in a snippet as text", async () => {
    const evil = "<img src=x onerror=alert(1)>";
    const snippet = [
      { text: "…how plants use ", matched: false },
      { text: "photo", matched: true },
      { text: `synthesis ${evil} `, matched: false },
      { text: evil, matched: true },
    ];
    await openLibrary({
      library_get_info: { ok: { ...sampleLibrary, resourceCount: 2 } },
      library_search_resources: {
        handle: ({ request }) =>
          request.text === ""
            ? [sampleHit("r-photo", "Photosynthesis"), sampleHit("r-leaf", "Leaves")]
            : [sampleHit("r-photo", `Photosynthesis ${evil}`, { snippet })],
      },
    });

    await type("photo");
    await waitFor(() => expect(rows()).toHaveLength(1));
    const row = rows()[0]!;
    const marks = [...row.querySelectorAll("mark")];
    expect(marks.map((mark) => mark.textContent)).toEqual(["photo", evil]);
    expect(row.querySelector("img")).toBeNull();
    expect(document.querySelector("img")).toBeNull();
    expect(within(row).getByTestId("resource-snippet").textContent).toBe(
      `…how plants use photosynthesis ${evil} ${evil}`,
    );
    expect(within(row).getByTestId("resource-row-title").textContent?.trim()).toBe(
      `Photosynthesis ${evil}`,
    );
  });

  it("says so kindly when nothing matches, and clears the search", async () => {
    const { shell } = fakeLibrary([photosynthesis, leaf]);
    await openLibrary(shell);

    await type("zebra crossings");
    const nothing = await screen.findByTestId("library-no-results");
    expect(nothing.textContent).toContain("No resources match “zebra crossings”");
    await fireEvent.click(within(nothing).getByRole("button", { name: "Clear search" }));
    await screen.findByTestId("resource-list");
    expect(rows()).toHaveLength(2);
    expect((screen.getByTestId("library-search") as HTMLInputElement).value).toBe("");
  });

  it("offers the library's facets as filters, with counts, and sorts", async () => {
    const { shell } = fakeLibrary([photosynthesis, leaf, cells]);
    const calls = await openLibrary(shell);

    const licence = screen.getByTestId("filter-licence") as HTMLSelectElement;
    await waitFor(() => expect(licence.options).toHaveLength(3));
    expect([...licence.options].map((option) => option.textContent?.trim())).toEqual([
      "Any licence",
      "CC BY-SA 4.0 (2)",
      "Unknown licence (1)",
    ]);
    const level = screen.getByTestId("filter-level") as HTMLSelectElement;
    expect([...level.options].map((option) => option.textContent?.trim())).toEqual([
      "Any level",
      "Year 9 (3)",
    ]);
    // The filters come from library_list_facets, not from listing the whole library.
    expect(calls).toContain("library_list_facets");
    expect(searches().every((query) => query.limit <= 200)).toBe(true);

    await fireEvent.change(licence, { target: { value: "unknown" } });
    await waitFor(() => expect(searches().at(-1)?.licence).toBe("unknown"));
    await waitFor(() => expect(rows()).toHaveLength(1));
    expect(screen.getByTestId("library-status").textContent).toBe("1 result");

    await fireEvent.change(screen.getByTestId("library-sort"), { target: { value: "title" } });
    await waitFor(() =>
      expect(searches().at(-1)).toMatchObject({ sort: "title", licence: "unknown" }),
    );
    await fireEvent.change(level, { target: { value: "Year 9" } });
    await waitFor(() => expect(searches().at(-1)?.educationalLevel).toBe("Year 9"));
    await fireEvent.click(screen.getByTestId("library-clear-filters"));
    await waitFor(() =>
      expect(searches().at(-1)).toMatchObject({ licence: null, educationalLevel: null }),
    );
  });

  it("asks for the facets again after the library changes", async () => {
    const { shell } = fakeLibrary([photosynthesis, leaf]);
    const calls = await openLibrary(shell);
    const facetCalls = () => calls.filter((command) => command === "library_list_facets").length;
    await waitFor(() => expect(facetCalls()).toBe(1));

    const detail = await openDetail(1);
    await fireEvent.click(within(detail).getByTestId("resource-trash"));
    await waitFor(() => expect(facetCalls()).toBe(2));
    const licence = screen.getByTestId("filter-licence") as HTMLSelectElement;
    await waitFor(() => expect(licence.options).toHaveLength(2));
  });

  it("says exactly how many a search finds, not just that there are more", async () => {
    const many = Array.from({ length: 200 }, (_, index) => sampleHit(`r${index}`, `Leaf ${index}`));
    await openLibrary({
      library_get_info: { ok: { ...sampleLibrary, resourceCount: 900 } },
      library_search_resources: { handle: ({ request }) => many.slice(0, request.limit) },
      library_count_resources: {
        handle: ({ request }) => (request.text.trim() === "" ? 900 : 537),
      },
    });
    expect(screen.getByTestId("library-status").textContent).toBe("Showing 200 of 900 resources");

    await type("leaf");
    await waitFor(() =>
      expect(screen.getByTestId("library-status").textContent).toBe("537 results"),
    );
    expect(argsOf("library_count_resources").at(-1)?.request).toMatchObject({ text: "leaf" });
    expect(screen.getByTestId("resource-list-more")).toBeTruthy();
  });

  it("shows the file name of a resource without a title", async () => {
    await openLibrary({
      library_get_info: { ok: { ...sampleLibrary, resourceCount: 1 } },
      library_search_resources: {
        ok: [sampleHit("r-scan", "", { fileName: "scan-0042.pdf" })],
      },
    });
    expect(within(rows()[0]!).getByTestId("resource-row-title").textContent?.trim()).toBe(
      "scan-0042.pdf",
    );
  });

  it("moves through rows with the arrow keys and opens one with Enter", async () => {
    const { shell } = fakeLibrary([photosynthesis, leaf, cells]);
    await openLibrary(shell);

    expect(rows().map((row) => row.tabIndex)).toEqual([0, -1, -1]);
    await fireEvent.keyDown(screen.getByTestId("library-search"), { key: "ArrowDown" });
    expect(document.activeElement).toBe(rows()[0]);
    await fireEvent.keyDown(rows()[0]!, { key: "ArrowDown" });
    expect(document.activeElement).toBe(rows()[1]);
    await fireEvent.keyDown(rows()[1]!, { key: "End" });
    expect(document.activeElement).toBe(rows()[2]);
    await fireEvent.keyDown(rows()[2]!, { key: "ArrowUp" });
    expect(document.activeElement).toBe(rows()[1]);
    expect(rows().map((row) => row.tabIndex)).toEqual([-1, 0, -1]);

    await fireEvent.keyDown(rows()[1]!, { key: "Enter" });
    const detail = await screen.findByTestId("resource-detail");
    const title = await within(detail).findByTestId("resource-detail-title");
    expect(title.textContent?.trim()).toBe("Parts of a leaf");
    await waitFor(() => expect(document.activeElement).toBe(title));
    expect(rows()[1]!.getAttribute("aria-current")).toBe("true");

    await fireEvent.keyDown(title, { key: "Escape" });
    await waitFor(() => expect(screen.queryByTestId("resource-detail")).toBeNull());
    expect(document.activeElement).toBe(rows()[1]);
  });

  it("focuses the search box with Ctrl+F or Cmd+F", async () => {
    const { shell } = fakeLibrary([photosynthesis]);
    await openLibrary(shell);
    rows()[0]!.focus();
    await fireEvent.keyDown(window, { key: "f", ctrlKey: true });
    expect(document.activeElement).toBe(screen.getByTestId("library-search"));
    rows()[0]!.focus();
    await fireEvent.keyDown(window, { key: "F", metaKey: true });
    expect(document.activeElement).toBe(screen.getByTestId("library-search"));
  });

  it("refreshes when the shell says a watched folder changed the library", async () => {
    const { shell, all } = fakeLibrary([photosynthesis]);
    mockShell(shell, { events: true });
    render(App);
    await screen.findByTestId("resource-list");

    all.set("r-leaf", leaf);
    const scan = { folder: "/home/ada/Units", imported: 1, revised: 0, moved: 0, removed: 0 };
    await waitFor(async () => {
      await emit("library-changed", {
        cause: "watchedFolder",
        scan: { ...scan, unchanged: 3, problems: [] },
      });
      expect(rows()).toHaveLength(2);
    });
  });

  it("reports a failed search with the shell's message and tries again", async () => {
    const { shell } = fakeLibrary([photosynthesis]);
    mockShell({ ...shell, library_search_resources: ipcError("io", "disk unplugged") });
    render(App);
    const alert = await screen.findByRole("alert");
    expect(alert.textContent).toContain("Your resources couldn’t be listed.");
    expect(alert.textContent).toContain("disk unplugged");

    mockShell(shell);
    await fireEvent.click(within(alert).getByRole("button", { name: "Try again" }));
    expect(await screen.findByTestId("resource-list")).toBeTruthy();
  });
});

describe("the resource details", () => {
  it("shows an image's dimensions in pixels", async () => {
    const photo = sampleResource("r-leaf", "Leaf photo", {
      mediaType: "image/png",
      fileName: "leaf.png",
      imageSize: { width: 1920, height: 1080 },
    });
    const { shell } = fakeLibrary([photo]);
    await openLibrary(shell);
    const detail = await openDetail(0);
    expect(within(detail).getByTestId("detail-dimensions").textContent?.trim()).toBe(
      "1,920 × 1,080 pixels",
    );
  });

  it("shows every field with where it came from, the licence and the file", async () => {
    const edited = sampleResource("r-photo", "Photosynthesis", { size: 2_400_000 });
    edited.metadata.sources = { title: "user", keywords: "user" };
    const { shell } = fakeLibrary([edited]);
    await openLibrary(shell);
    const detail = await openDetail(0);

    expect(within(detail).getByTestId("resource-detail-title").textContent?.trim()).toBe(
      "Photosynthesis",
    );
    const source = (field: string) =>
      within(within(detail).getByTestId(`detail-${field}`)).getByTestId("field-source").textContent;
    expect(source("keywords")?.trim()).toBe("Edited by you");
    expect(source("description")?.trim()).toBe("From the file");
    expect(within(detail).getByTestId("detail-creators").textContent).toContain(
      "Ana Souza and Ben Okafor",
    );
    expect(within(detail).getByTestId("detail-language").textContent).toContain("English");
    expect(within(detail).getByTestId("detail-dateModified").textContent).toContain("Not set");
    expect(within(detail).getByTestId("detail-size").textContent?.trim()).toBe("2.4 MB");
    expect(within(detail).queryByTestId("detail-dimensions")).toBeNull();
    expect(within(detail).getByTestId("detail-revisions").textContent?.trim()).toBe("2 versions");
    expect(within(detail).getByTestId("detail-file-name").textContent).toBe("photosynthesis.pdf");

    const licence = within(detail).getByTestId("resource-licence");
    expect(within(licence).getByTestId("licence-name").textContent).toBe(
      "Creative Commons Attribution-ShareAlike 4.0 International",
    );
    expect(within(licence).getByTestId("licence-url").textContent).toBe(
      "https://creativecommons.org/licenses/by-sa/4.0/",
    );
    expect(
      within(licence)
        .getAllByRole("listitem")
        .map((item) => item.textContent?.trim()),
    ).toEqual(["Creative Commons", "Attribution", "ShareAlike"]);
    // Nothing in the details navigates the window: addresses are text, not links.
    expect(detail.querySelectorAll("a")).toHaveLength(0);
  });

  it("says when the file it came from was deleted from a watched folder", async () => {
    const { shell } = fakeLibrary([{ ...photosynthesis, sourceRemoved: true }, leaf]);
    await openLibrary(shell);
    const detail = await openDetail(0);
    expect(within(detail).getByTestId("resource-source-removed").textContent).toContain(
      "Commonplace still keeps its own copy",
    );
    await fireEvent.click(within(detail).getByTestId("resource-detail-close"));
    const other = await openDetail(1);
    expect(within(other).queryByTestId("resource-source-removed")).toBeNull();
  });

  it("warns that a resource with an unknown licence cannot be shared without checking", async () => {
    const { shell } = fakeLibrary([leaf]);
    await openLibrary(shell);
    const detail = await openDetail(0);

    const licence = within(detail).getByTestId("resource-licence");
    expect(within(licence).getByTestId("licence-name").textContent).toBe("Licence not known");
    expect(licence.textContent).toContain("Check where it came from before sharing it");
    expect(within(licence).queryByTestId("licence-url")).toBeNull();
  });

  it("sends only the changed field when the title is edited, as one save", async () => {
    const { shell } = fakeLibrary([photosynthesis, leaf]);
    const calls = await openLibrary(shell);
    const detail = await openDetail(0);

    await fireEvent.click(within(detail).getByTestId("resource-edit"));
    const form = within(detail).getByTestId("metadata-edit");
    const save = within(form).getByTestId("metadata-save") as HTMLButtonElement;
    expect(save.disabled).toBe(true);
    expect((within(form).getByTestId("field-title") as HTMLInputElement).value).toBe(
      "Photosynthesis",
    );
    expect((within(form).getByTestId("field-creators") as HTMLInputElement).value).toBe(
      "Ana Souza; Ben Okafor",
    );

    await fireEvent.input(within(form).getByTestId("field-title"), {
      target: { value: "Photosynthesis and respiration" },
    });
    expect(save.disabled).toBe(false);
    await fireEvent.click(save);

    await waitFor(() => expect(screen.queryByTestId("metadata-edit")).toBeNull());
    expect(argsOf("library_update_metadata")).toEqual([
      {
        request: {
          id: "r-photo",
          changes: [{ field: "title", value: "Photosynthesis and respiration" }],
        },
      },
    ]);
    const title = within(detail).getByTestId("resource-detail-title");
    expect(title.textContent?.trim()).toBe("Photosynthesis and respiration");
    expect(detail.textContent).toContain("Edited by you");
    expect((await screen.findByTestId("notice")).textContent).toContain("Your changes are saved.");
    // The list and the counts refresh after the edit.
    await waitFor(() =>
      expect(within(rows()[0]!).getByTestId("resource-row-title").textContent?.trim()).toBe(
        "Photosynthesis and respiration",
      ),
    );
    expect(calls.filter((command) => command === "library_get_info").length).toBeGreaterThan(1);
  });

  it("sends a new licence and keywords together, leaving untouched fields out", async () => {
    const { shell } = fakeLibrary([photosynthesis]);
    await openLibrary(shell);
    const detail = await openDetail(0);
    await fireEvent.click(within(detail).getByTestId("resource-edit"));

    await fireEvent.change(within(detail).getByTestId("field-licence"), {
      target: { value: "CC-BY-NC-4.0" },
    });
    await fireEvent.input(within(detail).getByTestId("field-keywords"), {
      target: { value: "biology; plants; energy" },
    });
    // Spaces the library would trim anyway are not a change.
    await fireEvent.input(within(detail).getByTestId("field-creators"), {
      target: { value: "Ana Souza ;Ben Okafor " },
    });
    await fireEvent.click(within(detail).getByTestId("metadata-save"));

    await waitFor(() => expect(argsOf("library_update_metadata")).toHaveLength(1));
    expect(argsOf("library_update_metadata")[0]!.request.changes).toEqual([
      { field: "keywords", value: "biology; plants; energy" },
      { field: "licence", value: "CC-BY-NC-4.0" },
    ]);
    await waitFor(() =>
      expect(within(detail).getByTestId("licence-name").textContent).toBe(
        "Creative Commons Attribution-NonCommercial 4.0 International",
      ),
    );
  });

  it("keeps the form and says why when saving fails", async () => {
    const { shell } = fakeLibrary([photosynthesis]);
    await openLibrary({
      ...shell,
      library_update_metadata: ipcError("conflict", "the resource changed meanwhile"),
    });
    const detail = await openDetail(0);
    await fireEvent.click(within(detail).getByTestId("resource-edit"));
    await fireEvent.input(within(detail).getByTestId("field-title"), { target: { value: "New" } });
    await fireEvent.click(within(detail).getByTestId("metadata-save"));

    const error = await within(detail).findByTestId("metadata-error");
    expect(error.textContent).toContain("Your changes couldn’t be saved.");
    expect(error.textContent).toContain("the resource changed meanwhile");
    expect((within(detail).getByTestId("field-title") as HTMLInputElement).value).toBe("New");
  });
});

describe("licences from the shell", () => {
  it("names licences as licence_list_known does, in the list and the details", async () => {
    const { shell } = fakeLibrary([photosynthesis]);
    await openLibrary({
      ...shell,
      licence_list_known: {
        ok: [
          {
            id: "CC-BY-SA-4.0",
            name: "Attribution-ShareAlike as the crate names it",
            shortName: "CC BY-SA 4.0 (crate)",
            deedUrl: "https://creativecommons.org/licenses/by-sa/4.0/deed.test",
            icons: ["by", "sa"],
            isOpen: true,
          },
        ],
      },
    });
    expect(within(rows()[0]!).getByTestId("licence-badge").textContent?.trim()).toBe(
      "CC BY-SA 4.0 (crate)",
    );
    const detail = await openDetail(0);
    expect(within(detail).getByTestId("licence-name").textContent).toBe(
      "Attribution-ShareAlike as the crate names it",
    );
    expect(within(detail).getByTestId("licence-url").textContent).toBe(
      "https://creativecommons.org/licenses/by-sa/4.0/deed.test",
    );
  });

  it("shows a licence id the shell does not know as unrecognised, never as open", async () => {
    const odd = sampleResource("r-odd", "Odd licence", {
      metadata: { ...photosynthesis.metadata, title: "Odd licence", licence: "CC-BY-9.9" },
    });
    const { shell } = fakeLibrary([odd]);
    await openLibrary(shell);
    const badge = within(rows()[0]!).getByTestId("licence-badge");
    expect(badge.textContent?.trim()).toBe("CC-BY-9.9");
    expect(badge.classList.contains("closed")).toBe(true);
    const detail = await openDetail(0);
    const card = within(detail).getByTestId("resource-licence");
    expect(within(card).getByTestId("licence-name").textContent).toBe("Licence not recognised");
    expect(within(card).getByTestId("licence-id").textContent).toBe("CC-BY-9.9");
    expect(within(card).queryByTestId("licence-url")).toBeNull();

    await fireEvent.click(within(detail).getByTestId("resource-edit"));
    const picker = within(detail).getByTestId("field-licence") as HTMLSelectElement;
    expect(picker.value).toBe("CC-BY-9.9");
    expect(picker.selectedOptions[0]?.textContent?.trim()).toBe("CC-BY-9.9 (not recognised)");
  });

  it("offers every known licence in groups, CC 4.0 first", async () => {
    const { shell } = fakeLibrary([photosynthesis]);
    await openLibrary(shell);
    const detail = await openDetail(0);
    await fireEvent.click(within(detail).getByTestId("resource-edit"));
    const picker = within(detail).getByTestId("field-licence") as HTMLSelectElement;
    const groups = [...picker.querySelectorAll("optgroup")];
    expect(groups.map((group) => group.label)).toEqual([
      "Creative Commons 4.0",
      "Earlier Creative Commons versions",
      "Public domain",
      "Other open licences",
      "Not open, or not known",
    ]);
    expect(groups[0]!.querySelector("option")?.textContent?.trim()).toBe(
      "CC BY 4.0 — Creative Commons Attribution 4.0 International",
    );
    expect([...groups[4]!.querySelectorAll("option")].map((option) => option.value)).toEqual([
      "all-rights-reserved",
      "unknown",
    ]);
    expect(picker.querySelectorAll("option")).toHaveLength(36);
    expect(picker.value).toBe("CC-BY-SA-4.0");
  });

  it("shows the shell's refusal of a licence beside the licence field", async () => {
    const { shell } = fakeLibrary([photosynthesis]);
    await openLibrary({
      ...shell,
      library_update_metadata: ipcError("invalidInput", "“CC-BY-2.1” is not a licence it knows"),
    });
    const detail = await openDetail(0);
    await fireEvent.click(within(detail).getByTestId("resource-edit"));
    await fireEvent.change(within(detail).getByTestId("field-licence"), {
      target: { value: "CC-BY-3.0" },
    });
    await fireEvent.click(within(detail).getByTestId("metadata-save"));

    const beside = await within(detail).findByTestId("field-licence-error");
    expect(beside.textContent?.trim()).toBe("“CC-BY-2.1” is not a licence it knows");
    const picker = within(detail).getByTestId("field-licence");
    expect(picker.getAttribute("aria-invalid")).toBe("true");
    expect(picker.getAttribute("aria-describedby")).toBe(beside.id);
    expect(within(detail).getByTestId("metadata-edit")).toBeTruthy();
  });
});

/** The lineage of a copy of "Original worksheet" that may carry what `terms` says. */
function copyLineage(id: string, terms: LicenceTerms): Lineage {
  return {
    resourceId: id,
    sources: [
      {
        resourceId: "r-original",
        revision: "v1",
        title: "Original worksheet",
        origin: "library",
        originLabel: "",
        available: true,
        copiedAt: Date.UTC(2024, 4, 1),
      },
    ],
    changesMade: false,
    attributions: [],
    copies: [],
    mergeCandidates: [],
    terms,
    arrival: null,
  };
}

describe("the licence of a copy", () => {
  it("is chosen only among the licences its sources allow, recommended first", async () => {
    const { shell } = fakeLibrary([photosynthesis]);
    await openLibrary({
      ...shell,
      history_get_lineage: {
        ok: copyLineage("r-photo", {
          kind: "limited",
          allowed: [
            { id: "CC-BY-NC-SA-4.0", recommended: false },
            { id: "CC-BY-SA-4.0", recommended: true },
          ],
        }),
      },
    });
    const detail = await openDetail(0);
    await within(detail).findByTestId("lineage-allowed");
    await fireEvent.click(within(detail).getByTestId("resource-edit"));

    const picker = within(detail).getByTestId("field-licence") as HTMLSelectElement;
    expect([...picker.querySelectorAll("optgroup")].map((group) => group.label)).toEqual([
      "Recommended",
      "Also allowed",
    ]);
    expect([...picker.options].map((option) => option.value)).toEqual([
      "CC-BY-SA-4.0",
      "CC-BY-NC-SA-4.0",
    ]);
    expect(picker.value).toBe("CC-BY-SA-4.0");
    const hint = within(detail).getByTestId("field-licence-limited");
    expect(hint.textContent).toContain("may carry only the licences they allow");
    expect(picker.getAttribute("aria-describedby")).toBe(hint.id);

    await fireEvent.change(picker, { target: { value: "CC-BY-NC-SA-4.0" } });
    await fireEvent.click(within(detail).getByTestId("metadata-save"));
    await waitFor(() => expect(argsOf("library_update_metadata")).toHaveLength(1));
    expect(argsOf("library_update_metadata")[0]!.request.changes).toEqual([
      { field: "licence", value: "CC-BY-NC-SA-4.0" },
    ]);
  });

  it("keeps offering the licence it carries when its sources no longer allow it", async () => {
    const { shell } = fakeLibrary([leaf]);
    await openLibrary({
      ...shell,
      history_get_lineage: {
        ok: copyLineage("r-leaf", {
          kind: "limited",
          allowed: [{ id: "CC-BY-4.0", recommended: true }],
        }),
      },
    });
    const detail = await openDetail(0);
    await within(detail).findByTestId("lineage-allowed");
    await fireEvent.click(within(detail).getByTestId("resource-edit"));
    const picker = within(detail).getByTestId("field-licence") as HTMLSelectElement;
    expect([...picker.options].map((option) => option.value)).toEqual(["unknown", "CC-BY-4.0"]);
    expect(picker.value).toBe("unknown");
    expect(picker.selectedOptions[0]?.textContent).toContain("(current)");

    await fireEvent.input(within(detail).getByTestId("field-title"), { target: { value: "Leaf" } });
    await fireEvent.click(within(detail).getByTestId("metadata-save"));
    await waitFor(() => expect(argsOf("library_update_metadata")).toHaveLength(1));
    expect(argsOf("library_update_metadata")[0]!.request.changes).toEqual([
      { field: "title", value: "Leaf" },
    ]);
  });

  it("of a private copy is shown fixed, with the reason, and never sent", async () => {
    const { shell } = fakeLibrary([leaf]);
    await openLibrary({
      ...shell,
      history_get_lineage: {
        ok: copyLineage("r-leaf", {
          kind: "private",
          licence: "unknown",
          reason: "Nobody has recorded a licence for this resource (in English).",
        }),
      },
    });
    const detail = await openDetail(0);
    await within(detail).findByTestId("lineage-private");
    await fireEvent.click(within(detail).getByTestId("resource-edit"));

    expect(within(detail).queryByTestId("field-licence")).toBeNull();
    const fixed = within(detail).getByTestId("field-licence-fixed") as HTMLInputElement;
    expect(fixed.readOnly).toBe(true);
    expect(fixed.value).toContain("Unknown licence");
    expect(within(detail).getByLabelText("Licence")).toBe(fixed);
    const reason = within(detail).getByTestId("field-licence-fixed-reason");
    expect(fixed.getAttribute("aria-describedby")).toBe(reason.id);
    expect(reason.textContent).toContain("keeps the licence of what it was copied from");
    expect(reason.textContent).toContain("Nobody had recorded a licence");

    await fireEvent.input(within(detail).getByTestId("field-title"), { target: { value: "Leaf" } });
    await fireEvent.click(within(detail).getByTestId("metadata-save"));
    await waitFor(() => expect(argsOf("library_update_metadata")).toHaveLength(1));
    expect(argsOf("library_update_metadata")[0]!.request.changes).toEqual([
      { field: "title", value: "Leaf" },
    ]);
  });

  it("shows the shell's refusal of a licence the copy may not carry beside the field", async () => {
    const { shell } = fakeLibrary([photosynthesis]);
    const refusal = "“Photosynthesis” is adapted from other works and may carry only CC-BY-SA-4.0";
    await openLibrary({
      ...shell,
      // The terms could not be read, so every licence is offered; the shell still says no.
      history_get_lineage: ipcError("io", "unreadable"),
      library_update_metadata: ipcError("forbidden", refusal),
    });
    const detail = await openDetail(0);
    await fireEvent.click(within(detail).getByTestId("resource-edit"));
    const picker = within(detail).getByTestId("field-licence") as HTMLSelectElement;
    expect(picker.querySelectorAll("option")).toHaveLength(36);
    await fireEvent.change(picker, { target: { value: "CC0-1.0" } });
    await fireEvent.click(within(detail).getByTestId("metadata-save"));

    const beside = await within(detail).findByTestId("field-licence-error");
    expect(beside.textContent?.trim()).toBe(refusal);
    expect(picker.getAttribute("aria-invalid")).toBe("true");
    expect(within(detail).getByTestId("metadata-error").textContent).toContain(refusal);
  });
});

describe("thumbnails", () => {
  const png =
    "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGNgYGD4DwABBAEAwS2OUAAAAABJRU5ErkJggg==";

  it("shows an image's thumbnail and a typed icon for everything else", async () => {
    const hits = [
      sampleHit("r-photo", "Leaf photo", { mediaType: "image/jpeg" }),
      sampleHit("r-sheet", "Worksheet", { mediaType: "application/pdf" }),
      sampleHit("r-slides", "Slides", {
        mediaType: "application/vnd.openxmlformats-officedocument.presentationml.presentation",
      }),
      sampleHit("r-broken", "Broken photo", { mediaType: "image/png" }),
      sampleHit("r-data", "Rainfall", { mediaType: "text/csv" }),
    ];
    await openLibrary({
      library_get_info: { ok: { ...sampleLibrary, resourceCount: 5 } },
      library_search_resources: { ok: hits },
      library_get_thumbnail: {
        handle: ({ request }) => (request.id === "r-photo" ? png : null),
      },
    });

    const image = await waitFor(() => {
      const found = rows()[0]!.querySelector("img");
      expect(found).not.toBeNull();
      return found!;
    });
    expect(image.getAttribute("src")).toBe(png);
    expect(image.dataset["testid"]).toBe("resource-thumbnail");
    const kind = (index: number) =>
      within(rows()[index]!).getByTestId("resource-kind-icon").dataset["kind"];
    // A PDF whose first page the shell could not draw, and slides saved without a preview
    // picture, keep their typed icons.
    expect(kind(1)).toBe("pdf");
    expect(kind(2)).toBe("presentation");
    await waitFor(() => expect(argsOf("library_get_thumbnail")).toHaveLength(4));
    expect(kind(3)).toBe("image");
    expect(kind(4)).toBe("data");
    // Only images, books, PDFs and office documents can have one, so nothing else is asked for.
    expect(
      argsOf("library_get_thumbnail")
        .map((args) => args.request.id)
        .sort(),
    ).toEqual(["r-broken", "r-photo", "r-sheet", "r-slides"]);
  });

  it("refuses anything but an image data URL as a thumbnail", async () => {
    await openLibrary({
      library_get_info: { ok: { ...sampleLibrary, resourceCount: 1 } },
      library_search_resources: {
        ok: [sampleHit("r-photo", "Leaf photo", { mediaType: "image/png" })],
      },
      library_get_thumbnail: { ok: "https://example.org/tracker.png" },
    });
    await waitFor(() => expect(argsOf("library_get_thumbnail")).toHaveLength(1));
    expect(within(rows()[0]!).getByTestId("resource-kind-icon").dataset["kind"]).toBe("image");
    expect(document.querySelector("img")).toBeNull();
  });

  it("shows a larger preview in the details, asked for once per version", async () => {
    const photo = sampleResource("r-photo", "Leaf photo", { mediaType: "image/png" });
    const { shell } = fakeLibrary([photo]);
    await openLibrary({ ...shell, library_get_thumbnail: { ok: png } });
    const detail = await openDetail(0);
    const preview = await within(detail).findByTestId("resource-preview");
    expect(preview.getAttribute("src")).toBe(png);
    expect(argsOf("library_get_thumbnail")).toHaveLength(1);
  });
});

describe("opening in another app", () => {
  it("hands a working copy to the system and says where it is", async () => {
    const { shell } = fakeLibrary([photosynthesis]);
    const path = "/home/ada/Library/working/r-photo/photosynthesis.pdf";
    await openLibrary({ ...shell, library_open_resource: { ok: { path } } });
    const detail = await openDetail(0);

    await fireEvent.click(within(detail).getByTestId("resource-open"));
    const opened = await within(detail).findByTestId("resource-opened");
    expect(argsOf("library_open_resource")).toEqual([{ request: { id: "r-photo" } }]);
    expect(opened.textContent).toContain(
      "Opened in your usual app. Save there and your changes come back here as a new version.",
    );
    expect(within(opened).getByTestId("resource-opened-path").textContent).toBe(path);
  });

  it("says why it could not be opened", async () => {
    const { shell } = fakeLibrary([photosynthesis]);
    await openLibrary({
      ...shell,
      library_open_resource: ipcError("io", "no app opens .pdf files"),
    });
    const detail = await openDetail(0);
    await fireEvent.click(within(detail).getByTestId("resource-open"));
    expect((await screen.findByTestId("notice")).textContent).toContain("no app opens .pdf files");
    expect(within(detail).queryByTestId("resource-opened")).toBeNull();
  });

  it("shows the new version when edits saved in the other app come back", async () => {
    const { shell, all } = fakeLibrary([photosynthesis]);
    mockShell(shell, { events: true });
    render(App);
    await screen.findByTestId("resource-list");
    const detail = await openDetail(0);
    expect(within(detail).getByTestId("detail-revisions").textContent?.trim()).toBe("2 versions");

    all.set("r-photo", { ...photosynthesis, revisionCount: 3, updatedAt: Date.UTC(2024, 5, 2) });
    await waitFor(async () => {
      await emit("library-changed", { cause: "workingCopy", scan: null });
      expect(within(detail).getByTestId("detail-revisions").textContent?.trim()).toBe("3 versions");
    });
  });
});

describe("the trash", () => {
  it("moves a resource to the trash from its details", async () => {
    const { shell, all } = fakeLibrary([photosynthesis, leaf]);
    const calls = await openLibrary(shell);
    const detail = await openDetail(0);

    await fireEvent.click(within(detail).getByTestId("resource-trash"));
    await waitFor(() => expect(screen.queryByTestId("resource-detail")).toBeNull());
    expect(argsOf("library_trash_resource")).toEqual([{ request: { id: "r-photo" } }]);
    expect(all.get("r-photo")?.trashedAt).not.toBeNull();
    await waitFor(() => expect(rows().map((row) => row.dataset["resourceId"])).toEqual(["r-leaf"]));
    expect((await screen.findByTestId("notice")).textContent).toContain(
      "Moved “Photosynthesis” to the trash.",
    );
    await waitFor(() =>
      expect(screen.getByTestId("library-status").textContent).toBe("1 resource"),
    );
    expect(calls.filter((command) => command === "library_get_info").length).toBeGreaterThan(1);
  });

  it("lists the trash and restores a resource from it", async () => {
    const { shell, all } = fakeLibrary([photosynthesis, oldWorksheet]);
    await openLibrary(shell);

    await fireEvent.click(screen.getByTestId("library-trash"));
    expect(screen.getByTestId("library-trash").getAttribute("aria-pressed")).toBe("true");
    await waitFor(() => expect(rows().map((row) => row.dataset["resourceId"])).toEqual(["r-old"]));
    expect(searches().at(-1)?.trashed).toBe(true);
    expect(screen.getByTestId("library-status").textContent).toBe("1 resource in the trash");
    expect(rows()[0]!.textContent).toContain("moved to the trash on May 20, 2024");

    const restore = screen.getByTestId("resource-restore");
    expect(restore.getAttribute("aria-label")).toBe("Restore “Old worksheet”");
    await fireEvent.click(restore);
    await waitFor(() =>
      expect(argsOf("library_restore_resource")).toEqual([{ request: { id: "r-old" } }]),
    );
    expect(all.get("r-old")?.trashedAt).toBeNull();
    expect((await screen.findByTestId("library-no-results")).textContent).toContain(
      "The trash is empty",
    );
    expect((await screen.findByTestId("notice")).textContent).toContain(
      "Restored “Old worksheet” to your library.",
    );

    await fireEvent.click(screen.getByTestId("library-all"));
    await waitFor(() => expect(rows()).toHaveLength(2));
  });

  it("shows a trashed resource's details with Restore instead of Edit", async () => {
    const { shell } = fakeLibrary([photosynthesis, oldWorksheet]);
    await openLibrary(shell);
    await fireEvent.click(screen.getByTestId("library-trash"));
    await waitFor(() => expect(rows()).toHaveLength(1));
    const detail = await openDetail(0);

    expect(detail.textContent).toContain("In the trash since");
    expect(within(detail).queryByTestId("resource-edit")).toBeNull();
    await fireEvent.click(within(detail).getByTestId("resource-detail-restore"));
    await waitFor(() => expect(argsOf("library_restore_resource")).toHaveLength(1));
    await waitFor(() => expect(screen.queryByTestId("resource-detail")).toBeNull());
  });

  it("asks before emptying the trash, in a dialog that keeps focus and closes with Escape", async () => {
    const { shell, all } = fakeLibrary([photosynthesis, oldWorksheet]);
    await openLibrary(shell);
    await fireEvent.click(screen.getByTestId("library-trash"));
    await waitFor(() => expect(rows()).toHaveLength(1));

    const emptyButton = screen.getByTestId("trash-empty");
    emptyButton.focus();
    await fireEvent.click(emptyButton);
    const dialog = screen.getByRole("alertdialog");
    expect(dialog.getAttribute("aria-modal")).toBe("true");
    expect(within(dialog).getByRole("heading").textContent).toBe("Empty the trash?");
    const cancel = within(dialog).getByRole("button", { name: "Cancel" });
    const confirm = within(dialog).getByTestId("trash-empty-confirm");
    // Focus starts on the safe choice and Tab cycles inside the dialog.
    expect(document.activeElement).toBe(cancel);
    confirm.focus();
    await fireEvent.keyDown(confirm, { key: "Tab" });
    expect(document.activeElement).toBe(cancel);
    await fireEvent.keyDown(cancel, { key: "Tab", shiftKey: true });
    expect(document.activeElement).toBe(confirm);

    await fireEvent.keyDown(confirm, { key: "Escape" });
    expect(screen.queryByRole("alertdialog")).toBeNull();
    expect(argsOf("library_empty_trash")).toHaveLength(0);
    expect(document.activeElement).toBe(emptyButton);

    await fireEvent.click(emptyButton);
    await fireEvent.click(screen.getByTestId("trash-empty-confirm"));
    await waitFor(() => expect(argsOf("library_empty_trash")).toHaveLength(1));
    expect(screen.queryByRole("alertdialog")).toBeNull();
    expect(all.has("r-old")).toBe(false);
    expect((await screen.findByTestId("library-no-results")).textContent).toContain(
      "The trash is empty",
    );
    expect((await screen.findByTestId("notice")).textContent).toContain(
      "Deleted 1 resource for good.",
    );
    expect((screen.getByTestId("trash-empty") as HTMLButtonElement).disabled).toBe(true);
  });
});

describe("importing", () => {
  function controlledImport() {
    const state: {
      progress?: (progress: ImportProgress) => void;
      finish?: (report: ImportReport) => void;
    } = {};
    const answer: FakeShell["library_import_paths"] = {
      handle: ({ onProgress }) => {
        state.progress = (progress) => onProgress.onmessage(progress);
        return new Promise<ImportReport>((resolve) => (state.finish = resolve));
      },
    };
    return { state, answer };
  }

  it("imports picked files with progress, then reports each item and shows the list", async () => {
    const { shell, all } = fakeLibrary([]);
    const { state, answer } = controlledImport();
    mockShell({ ...shell, library_import_paths: answer }, { plugins: dialog(["/home/ada/oer"]) });
    render(App);

    await fireEvent.click(await screen.findByTestId("import-files"));
    const progress = await screen.findByTestId("import-progress");
    expect(pluginArgsOf("plugin:dialog|open")[0]).toMatchObject({
      options: { multiple: true, directory: false },
    });
    expect(argsOf("library_import_paths")[0]!.request).toEqual({ paths: ["/home/ada/oer"] });
    expect(progress.textContent).toContain("Getting ready to import…");

    state.progress!({ itemsDone: 1, itemsTotal: 3, bytesDone: 500_000, bytesTotal: 1_500_000 });
    await waitFor(() =>
      expect(within(progress).getByTestId("import-counts").textContent).toContain("1 of 3 files"),
    );
    expect(progress.textContent).toContain("500 kB of 1.5 MB");
    const bar = within(progress).getByRole("progressbar");
    expect(bar.getAttribute("aria-valuenow")).toBe("33");
    expect(bar.getAttribute("aria-valuemin")).toBe("0");
    expect(bar.getAttribute("aria-valuemax")).toBe("100");
    expect(bar.getAttribute("aria-valuetext")).toBe("1 of 3 files");

    // The window stays usable while the import runs.
    await fireEvent.click(screen.getByTestId("nav-settings"));
    expect(screen.getByTestId("section-title").textContent).toBe("Settings");
    expect(screen.getByTestId("import-progress")).toBeTruthy();
    await fireEvent.click(screen.getByTestId("nav-library"));

    all.set("r-leaf", sampleResource("r-leaf", "Parts of a leaf"));
    state.finish!(sampleReport);
    const report = await screen.findByTestId("import-report");
    expect(within(report).getByTestId("import-summary").textContent?.trim()).toBe(
      "1 imported, 1 already in your library, 1 skipped",
    );
    const skipped = within(report)
      .getAllByTestId("import-item")
      .find((item) => item.dataset["status"] === "skipped")!;
    expect(skipped.textContent).toContain("/home/ada/oer/notes.xyz");
    expect(within(skipped).getByTestId("import-item-reason").textContent).toBe(
      "Commonplace can’t read this kind of file.",
    );
    expect(screen.queryByTestId("import-progress")).toBeNull();

    // The counts refresh, so the empty state gives way to the list.
    expect(await screen.findByTestId("resource-list")).toBeTruthy();
    expect(screen.queryByTestId("library-empty-state")).toBeNull();
    await fireEvent.click(within(report).getByTestId("import-dismiss"));
    expect(screen.queryByTestId("import-report")).toBeNull();
  });

  it("says how long a long import has left, once its pace is known", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    try {
      const { shell } = fakeLibrary([photosynthesis]);
      const { state, answer } = controlledImport();
      await openLibrary({ ...shell, library_import_paths: answer }, dialog(["/home/ada/oer"]));
      await fireEvent.click(screen.getByTestId("import-folder"));
      await screen.findByTestId("import-progress");
      const counts = () => screen.getByTestId("import-counts");

      // Too early to tell.
      state.progress!({ itemsDone: 1, itemsTotal: 400, bytesDone: 1, bytesTotal: 400 });
      await waitFor(() => expect(counts().textContent).toContain("1 of 400 files"));
      expect(screen.queryByTestId("import-remaining")).toBeNull();

      // A quarter in 10 seconds: 30 more.
      vi.setSystemTime(Date.now() + 10_000);
      state.progress!({ itemsDone: 100, itemsTotal: 400, bytesDone: 100, bytesTotal: 400 });
      await waitFor(() =>
        expect(screen.getByTestId("import-remaining").textContent).toBe("About 30 seconds left"),
      );
      // Half of it after 10 minutes: 10 more minutes.
      vi.setSystemTime(Date.now() + 590_000);
      state.progress!({ itemsDone: 200, itemsTotal: 400, bytesDone: 200, bytesTotal: 400 });
      await waitFor(() =>
        expect(screen.getByTestId("import-remaining").textContent).toBe("About 10 minutes left"),
      );

      // Stopping: no estimate for a pace that no longer matters.
      state.finish!({ items: [], cancelled: false });
      await screen.findByTestId("import-report");
      expect(screen.queryByTestId("import-remaining")).toBeNull();
    } finally {
      vi.useRealTimers();
    }
  });

  it("fills the list in while a long import runs", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    try {
      const { shell, all } = fakeLibrary([photosynthesis]);
      const { state, answer } = controlledImport();
      await openLibrary({ ...shell, library_import_paths: answer }, dialog(["/home/ada/oer"]));
      await fireEvent.click(screen.getByTestId("import-folder"));
      await screen.findByTestId("import-progress");

      // The library has stored a first batch; the list shows it once a refresh is due, not at
      // every file.
      all.set("r-leaf", sampleResource("r-leaf", "Parts of a leaf"));
      state.progress!({ itemsDone: 1, itemsTotal: 900, bytesDone: 10, bytesTotal: 9000 });
      await waitFor(() =>
        expect(screen.getByTestId("import-counts").textContent).toContain("1 of 900 files"),
      );
      expect(screen.getByTestId("resource-list").textContent).not.toContain("Parts of a leaf");
      vi.setSystemTime(Date.now() + FILL_IN_INTERVAL_MS);
      state.progress!({ itemsDone: 300, itemsTotal: 900, bytesDone: 3000, bytesTotal: 9000 });
      await waitFor(() =>
        expect(screen.getByTestId("resource-list").textContent).toContain("Parts of a leaf"),
      );
      expect(screen.getByTestId("import-progress")).toBeTruthy();
      state.finish!({ items: [], cancelled: false });
      await screen.findByTestId("import-report");
    } finally {
      vi.useRealTimers();
    }
  });

  it("imports picked folders", async () => {
    const { shell } = fakeLibrary([]);
    mockShell(
      { ...shell, library_import_paths: { ok: { items: [], cancelled: false } } },
      { plugins: dialog(["/home/ada/Units", "/home/ada/Quizzes"]) },
    );
    render(App);
    await fireEvent.click(await screen.findByTestId("import-folder"));
    const report = await screen.findByTestId("import-report");
    expect(pluginArgsOf("plugin:dialog|open")[0]).toMatchObject({
      options: { multiple: true, directory: true },
    });
    expect(argsOf("library_import_paths")[0]!.request.paths).toEqual([
      "/home/ada/Units",
      "/home/ada/Quizzes",
    ]);
    expect(report.textContent).toContain("No files were found to import.");
  });

  it("does nothing when the picker is cancelled", async () => {
    const { shell } = fakeLibrary([]);
    const calls = mockShell(shell, { plugins: dialog(null) });
    render(App);
    await fireEvent.click(await screen.findByTestId("import-files"));
    await waitFor(() => expect(calls).toContain("plugin:dialog|open"));
    expect(calls).not.toContain("library_import_paths");
    expect(screen.queryByTestId("import-progress")).toBeNull();
  });

  it("cancels a running import with library_cancel_import", async () => {
    const { shell } = fakeLibrary([photosynthesis]);
    const { state, answer } = controlledImport();
    const calls = await openLibrary(
      { ...shell, library_import_paths: answer, library_cancel_import: { ok: null } },
      dialog(["/home/ada/oer"]),
    );
    await fireEvent.click(screen.getByTestId("import-files"));
    const progress = await screen.findByTestId("import-progress");
    expect((screen.getByTestId("import-files") as HTMLButtonElement).disabled).toBe(true);

    await fireEvent.click(within(progress).getByTestId("import-cancel"));
    await waitFor(() => expect(calls).toContain("library_cancel_import"));
    expect(progress.textContent).toContain("Stopping after the current file…");
    expect((within(progress).getByTestId("import-cancel") as HTMLButtonElement).disabled).toBe(
      true,
    );

    state.finish!({ items: sampleReport.items.slice(0, 1), cancelled: true });
    const report = await screen.findByTestId("import-report");
    expect(report.textContent).toContain("Import cancelled");
    expect(report.textContent).toContain("1 imported");
  });

  it("explains an import that fails", async () => {
    const { shell } = fakeLibrary([]);
    mockShell(
      { ...shell, library_import_paths: ipcError("io", "the library disk is full") },
      { plugins: dialog(["/home/ada/oer"]) },
    );
    render(App);
    await fireEvent.click(await screen.findByTestId("import-files"));
    const report = await screen.findByTestId("import-report");
    expect(report.textContent).toContain("The import couldn’t finish");
    expect(report.textContent).toContain("the library disk is full");
  });

  it("imports files dropped on the window, showing a drop hint while they hover", async () => {
    const { shell } = fakeLibrary([]);
    mockWindows("main");
    mockShell({ ...shell, library_import_paths: { ok: sampleReport } }, { events: true });
    render(App);
    await screen.findByTestId("library-empty-state");

    const position = { x: 20, y: 20 };
    const paths = ["/home/ada/Desktop/leaf.pdf", "/home/ada/Desktop/Unit 3"];
    await waitFor(async () => {
      await emit("tauri://drag-enter", { paths, position });
      expect(screen.getByTestId("drop-overlay")).toBeTruthy();
    });
    // The four drag listeners are set up one after the other: wait for the last one.
    await waitFor(async () => {
      await emit("tauri://drag-leave", null);
      expect(screen.queryByTestId("drop-overlay")).toBeNull();
    });

    await emit("tauri://drag-enter", { paths, position });
    await emit("tauri://drag-drop", { paths, position });
    await waitFor(() => expect(argsOf("library_import_paths")).toHaveLength(1));
    expect(argsOf("library_import_paths")[0]!.request.paths).toEqual(paths);
    expect(screen.queryByTestId("drop-overlay")).toBeNull();
    expect(await screen.findByTestId("import-report")).toBeTruthy();
  });

  it("refuses a second import while one runs", async () => {
    const { shell } = fakeLibrary([]);
    const { answer } = controlledImport();
    mockWindows("main");
    mockShell({ ...shell, library_import_paths: answer }, { events: true });
    render(App);
    await screen.findByTestId("library-empty-state");

    const payload = { paths: ["/home/ada/a.pdf"], position: { x: 1, y: 1 } };
    await waitFor(async () => {
      await emit("tauri://drag-drop", payload);
      expect(argsOf("library_import_paths")).toHaveLength(1);
    });
    await emit("tauri://drag-drop", payload);
    expect((await screen.findByTestId("notice")).textContent).toContain(
      "An import is already running.",
    );
    expect(argsOf("library_import_paths")).toHaveLength(1);
  });
});
