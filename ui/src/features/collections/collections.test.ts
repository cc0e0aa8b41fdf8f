import { createEvent, fireEvent, render, screen, waitFor, within } from "@testing-library/svelte";
import { describe, expect, it } from "vitest";
import App from "../../App.svelte";
import AddToCollection from "./AddToCollection.svelte";
import type { Collection, SearchHit, SearchQuery } from "../../api";
import { sampleHit, sampleResource } from "../../test/library";
import { argsOf, ipcError, mockShell, sampleLibrary, type FakeShell } from "../../test/shell";
import { buildTree, descendantsOf, dropPosition, flatten, pathOf } from "./tree";

type Stored = Collection & { items: Array<{ id: string; note: string }> };

/**
 * A library with collections behind the fake shell: creating, renaming, nesting, deleting,
 * adding, moving and annotating change it, so the window's refreshes show real effects.
 */
function fakeCollections(hits: SearchHit[], collections: Stored[] = []) {
  const all = new Map(collections.map((collection) => [collection.id, collection]));
  let next = 1;
  const byId = new Map(hits.map((hit) => [hit.id, hit]));
  const view = (collection: Stored): Collection => {
    const { items, ...rest } = collection;
    const matching = rest.query ? hits.filter((hit) => hit.title.includes(rest.query!.text)) : [];
    return { ...rest, itemCount: rest.query ? matching.length : items.length };
  };
  const list = () => {
    const out: Collection[] = [];
    const visit = (parentId: string | null) => {
      for (const collection of [...all.values()]
        .filter((item) => item.parentId === parentId)
        .sort((a, b) => a.name.localeCompare(b.name))) {
        out.push(view(collection));
        visit(collection.id);
      }
    };
    visit(null);
    return out;
  };
  const find = (id: string) => {
    const found = all.get(id);
    if (!found) throw { kind: "notFound", message: `no collection ${id}` };
    return found;
  };
  const shell: FakeShell = {
    library_get_info: {
      handle: () => ({ ...sampleLibrary, resourceCount: hits.length, collectionCount: all.size }),
    },
    library_search_resources: {
      handle: ({ request }) =>
        request.collection
          ? find(request.collection).items.map((item) => byId.get(item.id)!)
          : hits.filter((hit) => hit.title.toLowerCase().includes(request.text.toLowerCase())),
    },
    library_count_resources: {
      handle: ({ request }) =>
        request.collection ? find(request.collection).items.length : hits.length,
    },
    library_get_resource: {
      handle: ({ request }) => sampleResource(request.id, byId.get(request.id)!.title),
    },
    library_list_collections: { handle: list },
    library_create_collection: {
      handle: ({ request }) => {
        if (request.name.trim() === "") throw { kind: "invalidInput", message: "needs a name" };
        const collection: Stored = {
          id: `c-new-${next++}`,
          parentId: request.parentId,
          name: request.name,
          query: request.query,
          itemCount: 0,
          createdAt: Date.UTC(2024, 5, 1),
          items: [],
        };
        all.set(collection.id, collection);
        return view(collection);
      },
    },
    library_rename_collection: {
      handle: ({ request }) => {
        find(request.id).name = request.name;
        return view(find(request.id));
      },
    },
    library_move_collection: {
      handle: ({ request }) => {
        find(request.id).parentId = request.parentId;
        return view(find(request.id));
      },
    },
    library_delete_collection: {
      handle: ({ request }) => {
        const doomed = [request.id, ...descendantsOf(list(), request.id).map((item) => item.id)];
        for (const id of doomed) all.delete(id);
        return null;
      },
    },
    library_get_collection_entries: {
      handle: ({ request }) => {
        const collection = find(request.id);
        if (collection.query) {
          return hits
            .filter((hit) => hit.title.includes(collection.query!.text))
            .map((resource) => ({ resource, note: "" }));
        }
        return collection.items.map((item) => ({ resource: byId.get(item.id)!, note: item.note }));
      },
    },
    library_add_to_collection: {
      handle: ({ request }) => {
        const collection = find(request.id);
        if (collection.query) throw { kind: "invalidInput", message: "smart collection" };
        for (const id of request.resourceIds) {
          if (!collection.items.some((item) => item.id === id)) {
            collection.items.push({ id, note: "" });
          }
        }
        return view(collection);
      },
    },
    library_remove_from_collection: {
      handle: ({ request }) => {
        const collection = find(request.id);
        collection.items = collection.items.filter((item) => item.id !== request.resourceId);
        return null;
      },
    },
    library_move_in_collection: {
      handle: ({ request }) => {
        const items = find(request.id).items;
        const from = items.findIndex((item) => item.id === request.resourceId);
        const [item] = items.splice(from, 1);
        items.splice(Math.min(request.position, items.length), 0, item!);
        return null;
      },
    },
    library_set_collection_note: {
      handle: ({ request }) => {
        find(request.id).items.find((item) => item.id === request.resourceId)!.note = request.note;
        return null;
      },
    },
  };
  return { shell, all };
}

function manual(id: string, name: string, items: string[], parentId: string | null = null) {
  return {
    id,
    parentId,
    name,
    query: null,
    itemCount: items.length,
    createdAt: Date.UTC(2024, 4, 1),
    items: items.map((item) => ({ id: item, note: "" })),
  } satisfies Stored;
}

function smart(id: string, name: string, text: string): Stored {
  const query: SearchQuery = {
    text,
    licence: "CC-BY-4.0",
    resourceType: null,
    language: null,
    educationalLevel: null,
    collection: null,
    trashed: false,
    sort: "relevance",
    limit: 1000,
    offset: 0,
  };
  return { id, parentId: null, name, query, itemCount: 0, createdAt: 0, items: [] };
}

const leaf = sampleHit("r-leaf", "Parts of a leaf");
const photo = sampleHit("r-photo", "Photosynthesis");
const cells = sampleHit("r-cells", "Cell division");
const roots = sampleHit("r-roots", "Roots and water");
const hits = [leaf, photo, cells, roots];

async function openCollections(shell: FakeShell): Promise<string[]> {
  const calls = mockShell(shell);
  render(App);
  await fireEvent.click(await screen.findByTestId("nav-collections"));
  return calls;
}

const entries = () => screen.getAllByTestId("collection-entry");
const entryIds = () => entries().map((entry) => entry.dataset["resourceId"]);
const treeItems = () => screen.queryAllByTestId("collection-item");

describe("the tree helpers", () => {
  const list: Collection[] = [
    { ...manual("a", "Biology", []), items: undefined } as unknown as Collection,
    manual("b", "Year 9", [], "a"),
    manual("c", "Ecology", [], "b"),
    manual("d", "Chemistry", []),
  ];

  it("nests collections and lists them depth first", () => {
    const tree = buildTree(list);
    expect(tree.map((node) => node.collection.id)).toEqual(["a", "d"]);
    expect(flatten(tree).map((node) => [node.collection.id, node.depth])).toEqual([
      ["a", 0],
      ["b", 1],
      ["c", 2],
      ["d", 0],
    ]);
    expect(descendantsOf(list, "a").map((item) => item.id)).toEqual(["b", "c"]);
    expect(pathOf(list, "c")).toEqual(["Biology", "Year 9", "Ecology"]);
  });

  it("puts a collection whose parent is missing, or that loops, at the top", () => {
    const odd = [manual("x", "Orphan", [], "gone"), manual("y", "Loop", [], "y")];
    expect(buildTree(odd).map((node) => node.collection.id)).toEqual(["x", "y"]);
  });

  it("counts drop positions without the moved entry, as the shell does", () => {
    // [A, B, C, D]: A dropped before C lands between B and C.
    expect(dropPosition(0, 2, false)).toBe(1);
    expect(dropPosition(0, 2, true)).toBe(2);
    expect(dropPosition(3, 1, false)).toBe(1);
    expect(dropPosition(3, 1, true)).toBe(2);
    expect(dropPosition(2, 2, false)).toBe(2);
    expect(dropPosition(2, 2, true)).toBe(2);
  });
});

describe("the collections section", () => {
  it("explains collections before there are any", async () => {
    const { shell } = fakeCollections(hits);
    await openCollections(shell);
    const empty = await screen.findByTestId("collections-empty-state");
    expect(empty.textContent).toContain("No collections yet");
    expect(empty.textContent).toContain("Save a search");
    expect(empty.textContent).not.toContain("Coming soon");
  });

  it("creates a manual collection and opens it", async () => {
    const { shell } = fakeCollections(hits);
    await openCollections(shell);
    await screen.findByTestId("collections-empty-state");

    await fireEvent.click(screen.getByTestId("collection-new"));
    const form = screen.getByTestId("collection-form");
    expect(document.activeElement).toBe(within(form).getByTestId("collection-name-input"));
    // A nameless collection is refused before the shell is asked.
    await fireEvent.click(within(form).getByTestId("collection-create"));
    expect(within(form).getByTestId("collection-form-error").textContent).toContain(
      "Give the collection a name.",
    );
    expect(argsOf("library_create_collection")).toHaveLength(0);

    await fireEvent.input(within(form).getByTestId("collection-name-input"), {
      target: { value: "Unit 3: Plants" },
    });
    await fireEvent.click(within(form).getByTestId("collection-create"));

    await waitFor(() =>
      expect(argsOf("library_create_collection")).toEqual([
        { request: { name: "Unit 3: Plants", parentId: null, query: null } },
      ]),
    );
    const panel = await screen.findByTestId("collection-panel");
    expect(within(panel).getByTestId("collection-title").textContent?.trim()).toBe(
      "Unit 3: Plants",
    );
    expect((await within(panel).findByTestId("collection-empty")).textContent).toContain(
      "Add to collection…",
    );
    expect(treeItems().map((item) => item.textContent?.trim())).toEqual([
      expect.stringContaining("Unit 3: Plants"),
    ]);
    expect(treeItems()[0]!.getAttribute("aria-current")).toBe("true");
    expect((await screen.findByTestId("notice")).textContent).toContain(
      "Created “Unit 3: Plants”.",
    );
  });

  it("creates a smart collection from a search and shows what it finds, read-only", async () => {
    const { shell } = fakeCollections(hits, [manual("c-1", "Unit 3", [])]);
    await openCollections(shell);
    await screen.findByTestId("collection-panel");

    await fireEvent.click(screen.getByTestId("collection-new"));
    const form = screen.getByTestId("collection-form");
    await fireEvent.input(within(form).getByTestId("collection-name-input"), {
      target: { value: "Everything on photosynthesis" },
    });
    await fireEvent.click(within(form).getByTestId("collection-smart"));
    await fireEvent.click(within(form).getByTestId("collection-create"));
    expect(within(form).getByTestId("collection-form-error").textContent).toContain(
      "Type what the collection should search for.",
    );
    await fireEvent.input(within(form).getByTestId("collection-smart-query"), {
      target: { value: " Photo " },
    });
    await fireEvent.click(within(form).getByTestId("collection-create"));

    await waitFor(() => expect(argsOf("library_create_collection")).toHaveLength(1));
    const request = argsOf("library_create_collection")[0]!.request;
    expect(request).toMatchObject({ name: "Everything on photosynthesis", parentId: null });
    expect(request.query).toMatchObject({ text: "Photo", trashed: false, collection: null });

    await waitFor(() =>
      expect(screen.getByTestId("collection-title").textContent?.trim()).toBe(
        "Everything on photosynthesis",
      ),
    );
    const panel = screen.getByTestId("collection-panel");
    expect(within(panel).getByTestId("collection-query").textContent).toContain(
      "Holds every resource that matches “Photo”.",
    );
    await waitFor(() => expect(entryIds()).toEqual(["r-photo"]));
    expect(within(panel).queryByTestId("collection-note-input")).toBeNull();
    expect(within(panel).queryByTestId("collection-entry-handle")).toBeNull();
    expect(within(panel).queryByTestId("collection-entry-remove")).toBeNull();
    const smartItem = treeItems().find((item) => item.dataset["smart"] === "true");
    expect(smartItem?.textContent).toContain("Smart collection");
  });

  it("shows a smart collection's filters beside its words", async () => {
    const { shell } = fakeCollections(hits, [smart("c-s", "Open plant material", "Photo")]);
    await openCollections(shell);
    const query = await screen.findByTestId("collection-query");
    expect(query.textContent).toContain("Licence: CC BY 4.0");
  });

  it("nests a new collection inside another, and shows the tree with counts", async () => {
    const { shell } = fakeCollections(hits, [
      manual("c-bio", "Biology", ["r-leaf", "r-photo"]),
      manual("c-chem", "Chemistry", []),
    ]);
    await openCollections(shell);
    await screen.findByTestId("collection-panel");

    await fireEvent.click(screen.getByTestId("collection-new"));
    const form = screen.getByTestId("collection-form");
    await fireEvent.input(within(form).getByTestId("collection-name-input"), {
      target: { value: "Year 9" },
    });
    await fireEvent.change(within(form).getByTestId("collection-parent-input"), {
      target: { value: "c-bio" },
    });
    await fireEvent.click(within(form).getByTestId("collection-create"));
    await waitFor(() =>
      expect(argsOf("library_create_collection")[0]?.request.parentId).toBe("c-bio"),
    );

    await waitFor(() => expect(treeItems()).toHaveLength(3));
    const biology = treeItems()[0]!;
    const yearNine = treeItems()[1]!;
    expect(yearNine.textContent).toContain("Year 9");
    // The child sits in a list inside the parent's item.
    expect(biology.closest("li")!.contains(yearNine)).toBe(true);
    expect(within(biology).getByTestId("collection-item-count").textContent).toContain(
      "2 resources",
    );
    expect(screen.getByTestId("collection-path").textContent?.trim()).toBe("Biology");
  });

  it("moves through the tree with the arrow keys", async () => {
    const { shell } = fakeCollections(hits, [
      manual("c-a", "Algebra", []),
      manual("c-b", "Botany", []),
    ]);
    await openCollections(shell);
    await screen.findByTestId("collection-panel");
    expect(treeItems().map((item) => item.tabIndex)).toEqual([0, -1]);
    treeItems()[0]!.focus();
    await fireEvent.keyDown(treeItems()[0]!, { key: "ArrowDown" });
    await waitFor(() => expect(document.activeElement).toBe(treeItems()[1]));
    await fireEvent.click(treeItems()[1]!);
    expect(screen.getByTestId("collection-title").textContent?.trim()).toBe("Botany");
  });

  it("renames a collection in place and nests it elsewhere", async () => {
    const { shell } = fakeCollections(hits, [
      manual("c-a", "Algebra", []),
      manual("c-b", "Botany", []),
    ]);
    await openCollections(shell);
    await screen.findByTestId("collection-panel");

    await fireEvent.click(screen.getByTestId("collection-rename"));
    const input = screen.getByTestId("collection-rename-input") as HTMLInputElement;
    expect(input.value).toBe("Algebra");
    await fireEvent.input(input, { target: { value: "Linear algebra" } });
    await fireEvent.keyDown(input, { key: "Enter" });
    await waitFor(() =>
      expect(argsOf("library_rename_collection")).toEqual([
        { request: { id: "c-a", name: "Linear algebra" } },
      ]),
    );
    await waitFor(() =>
      expect(screen.getByTestId("collection-title").textContent?.trim()).toBe("Linear algebra"),
    );

    const parent = screen.getByTestId("collection-parent") as HTMLSelectElement;
    // A collection cannot go inside itself.
    expect([...parent.options].map((option) => option.value)).toEqual(["", "c-b"]);
    await fireEvent.change(parent, { target: { value: "c-b" } });
    await waitFor(() =>
      expect(argsOf("library_move_collection")).toEqual([
        { request: { id: "c-a", parentId: "c-b" } },
      ]),
    );
    await waitFor(() => expect(screen.getByTestId("collection-path").textContent).toBe("Botany"));
  });

  it("asks before deleting, and says that nested collections go but resources stay", async () => {
    const { shell, all } = fakeCollections(hits, [
      manual("c-bio", "Biology", ["r-leaf"]),
      manual("c-y9", "Year 9", [], "c-bio"),
      manual("c-y10", "Year 10", [], "c-bio"),
      manual("c-chem", "Chemistry", []),
    ]);
    await openCollections(shell);
    await screen.findByTestId("collection-panel");
    expect(screen.getByTestId("collection-title").textContent?.trim()).toBe("Biology");

    await fireEvent.click(screen.getByTestId("collection-delete"));
    const dialog = screen.getByRole("alertdialog");
    expect(within(dialog).getByRole("heading").textContent).toBe("Delete “Biology”?");
    expect(dialog.textContent).toContain("the 2 collections inside it");
    expect(dialog.textContent).toContain("stay in your library");
    await fireEvent.click(within(dialog).getByRole("button", { name: "Cancel" }));
    expect(screen.queryByRole("alertdialog")).toBeNull();
    expect(argsOf("library_delete_collection")).toHaveLength(0);

    await fireEvent.click(screen.getByTestId("collection-delete"));
    await fireEvent.click(screen.getByTestId("collection-delete-confirm"));
    await waitFor(() =>
      expect(argsOf("library_delete_collection")).toEqual([{ request: { id: "c-bio" } }]),
    );
    await waitFor(() => expect(treeItems()).toHaveLength(1));
    expect(all.has("c-y9")).toBe(false);
    expect(screen.getByTestId("collection-title").textContent?.trim()).toBe("Chemistry");
    expect((await screen.findByTestId("notice")).textContent).toContain(
      "Its resources are still in your library.",
    );
  });
});

describe("a collection's entries", () => {
  async function openUnit() {
    const state = fakeCollections(hits, [
      manual("c-unit", "Unit 3", ["r-leaf", "r-photo", "r-cells"]),
    ]);
    await openCollections(state.shell);
    await waitFor(() => expect(entryIds()).toEqual(["r-leaf", "r-photo", "r-cells"]));
    return state;
  }

  const handle = (index: number) =>
    within(entries()[index]!).getByTestId("collection-entry-handle");

  it("lists them in the curator's order with their notes", async () => {
    const state = fakeCollections(hits, [manual("c-unit", "Unit 3", ["r-cells", "r-leaf"])]);
    state.all.get("c-unit")!.items[0]!.note = "Start here";
    await openCollections(state.shell);
    await waitFor(() => expect(entryIds()).toEqual(["r-cells", "r-leaf"]));
    const note = within(entries()[0]!).getByTestId("collection-note-input") as HTMLInputElement;
    expect(note.value).toBe("Start here");
    expect(within(entries()[1]!).getByTestId("collection-entry-title").textContent).toBe(
      "Parts of a leaf",
    );
  });

  it("moves the focused entry with Alt+Up and Alt+Down", async () => {
    const { all } = await openUnit();

    handle(2).focus();
    await fireEvent.keyDown(handle(2), { key: "ArrowUp", altKey: true });
    await waitFor(() =>
      expect(argsOf("library_move_in_collection")).toEqual([
        { request: { id: "c-unit", resourceId: "r-cells", position: 1 } },
      ]),
    );
    expect(entryIds()).toEqual(["r-leaf", "r-cells", "r-photo"]);
    await waitFor(() => expect(document.activeElement).toBe(handle(1)));
    expect(screen.getByTestId("collection-announcement").textContent).toContain(
      "“Cell division” moved to position 2 of 3.",
    );

    await fireEvent.keyDown(handle(0), { key: "ArrowDown", altKey: true });
    await waitFor(() => expect(argsOf("library_move_in_collection")).toHaveLength(2));
    expect(argsOf("library_move_in_collection")[1]!.request).toEqual({
      id: "c-unit",
      resourceId: "r-leaf",
      position: 1,
    });
    expect(entryIds()).toEqual(["r-cells", "r-leaf", "r-photo"]);
    expect(all.get("c-unit")!.items.map((item) => item.id)).toEqual([
      "r-cells",
      "r-leaf",
      "r-photo",
    ]);

    // Without Alt, and past either end, nothing moves.
    await fireEvent.keyDown(handle(0), { key: "ArrowUp" });
    await fireEvent.keyDown(handle(0), { key: "ArrowUp", altKey: true });
    await fireEvent.keyDown(handle(2), { key: "ArrowDown", altKey: true });
    expect(argsOf("library_move_in_collection")).toHaveLength(2);
  });

  it("moves entries with the up and down buttons too", async () => {
    await openUnit();
    await fireEvent.click(within(entries()[0]!).getByTestId("collection-entry-down"));
    await waitFor(() =>
      expect(argsOf("library_move_in_collection")[0]?.request).toEqual({
        id: "c-unit",
        resourceId: "r-leaf",
        position: 1,
      }),
    );
    expect(entryIds()).toEqual(["r-photo", "r-leaf", "r-cells"]);
  });

  it("reorders by dragging an entry onto another", async () => {
    await openUnit();
    /** jsdom has no DragEvent, so the pointer's height is set on a plain event. */
    const drag = async (type: "dragOver" | "drop", target: HTMLElement, clientY: number) => {
      const event = createEvent[type](target);
      Object.defineProperty(event, "clientY", { value: clientY });
      target.getBoundingClientRect = () => ({ top: 100, height: 40 }) as DOMRect;
      await fireEvent(target, event);
    };

    const [first, , last] = entries();
    await fireEvent.pointerDown(within(first!).getByTestId("collection-entry-handle"));
    expect(first!.getAttribute("draggable")).toBe("true");
    await fireEvent.dragStart(first!);
    expect(first!.classList.contains("dragging")).toBe(true);
    // Over the lower half of the last entry: the drop goes after it.
    await drag("dragOver", last!, 130);
    expect(last!.classList.contains("drop-after")).toBe(true);
    await drag("drop", last!, 130);
    await waitFor(() =>
      expect(argsOf("library_move_in_collection")[0]?.request).toEqual({
        id: "c-unit",
        resourceId: "r-leaf",
        position: 2,
      }),
    );
    expect(entryIds()).toEqual(["r-photo", "r-cells", "r-leaf"]);
    expect(entries().some((entry) => entry.classList.contains("drop-after"))).toBe(false);

    // Over the upper half of the first entry: before it.
    const moved = entries()[2]!;
    await fireEvent.dragStart(moved);
    await drag("dragOver", entries()[0]!, 105);
    expect(entries()[0]!.classList.contains("drop-before")).toBe(true);
    await drag("drop", entries()[0]!, 105);
    await waitFor(() => expect(argsOf("library_move_in_collection")).toHaveLength(2));
    expect(argsOf("library_move_in_collection")[1]!.request.position).toBe(0);
    expect(entryIds()).toEqual(["r-leaf", "r-photo", "r-cells"]);
  });

  it("puts an entry back where it was when the shell refuses the move", async () => {
    const { shell } = fakeCollections(hits, [manual("c-unit", "Unit 3", ["r-leaf", "r-photo"])]);
    await openCollections({
      ...shell,
      library_move_in_collection: ipcError("notFound", "r-photo is no longer there"),
    });
    await waitFor(() => expect(entryIds()).toEqual(["r-leaf", "r-photo"]));
    await fireEvent.keyDown(handle(1), { key: "ArrowUp", altKey: true });
    expect((await screen.findByTestId("notice")).textContent).toContain("no longer there");
    expect(entryIds()).toEqual(["r-leaf", "r-photo"]);
  });

  it("saves a note when the field is left or Enter is pressed, and only when it changed", async () => {
    const { all } = await openUnit();
    const note = within(entries()[1]!).getByTestId("collection-note-input") as HTMLInputElement;

    await fireEvent.focus(note);
    await fireEvent.blur(note);
    expect(argsOf("library_set_collection_note")).toHaveLength(0);

    await fireEvent.input(note, { target: { value: "Use after the lab " } });
    await fireEvent.blur(note);
    await waitFor(() =>
      expect(argsOf("library_set_collection_note")).toEqual([
        { request: { id: "c-unit", resourceId: "r-photo", note: "Use after the lab" } },
      ]),
    );
    expect(all.get("c-unit")!.items[1]!.note).toBe("Use after the lab");
    expect(await within(entries()[1]!).findByTestId("collection-note-saved")).toBeTruthy();

    const other = within(entries()[0]!).getByTestId("collection-note-input") as HTMLInputElement;
    await fireEvent.input(other, { target: { value: "Homework" } });
    await fireEvent.keyDown(other, { key: "Enter" });
    await waitFor(() => expect(argsOf("library_set_collection_note")).toHaveLength(2));
    expect(argsOf("library_set_collection_note")[1]!.request.note).toBe("Homework");

    await fireEvent.input(other, { target: { value: "Never mind" } });
    await fireEvent.keyDown(other, { key: "Escape" });
    expect(other.value).toBe("Homework");
    await fireEvent.blur(other);
    expect(argsOf("library_set_collection_note")).toHaveLength(2);
  });

  it("removes an entry from the collection, not from the library", async () => {
    await openUnit();
    await fireEvent.click(within(entries()[1]!).getByTestId("collection-entry-remove"));
    await waitFor(() =>
      expect(argsOf("library_remove_from_collection")).toEqual([
        { request: { id: "c-unit", resourceId: "r-photo" } },
      ]),
    );
    expect(entryIds()).toEqual(["r-leaf", "r-cells"]);
    expect(argsOf("library_trash_resource")).toHaveLength(0);
    expect((await screen.findByTestId("notice")).textContent).toContain(
      "Removed “Photosynthesis” from “Unit 3”.",
    );
  });

  it("explains an empty collection and leads to the library", async () => {
    const { shell } = fakeCollections(hits, [manual("c-unit", "Unit 3", [])]);
    await openCollections(shell);
    const empty = await screen.findByTestId("collection-empty");
    expect(empty.textContent).toContain("Nothing in “Unit 3” yet");
    await fireEvent.click(within(empty).getByTestId("collection-open-library"));
    expect(screen.getByTestId("section-title").textContent).toBe("Library");
  });
});

describe("adding to a collection from the library", () => {
  async function openLibrary(shell: FakeShell) {
    mockShell(shell);
    render(App);
    await screen.findByTestId("resource-list");
  }

  async function openDetail(index: number) {
    await fireEvent.click(screen.getAllByTestId("resource-row")[index]!);
    const detail = await screen.findByTestId("resource-detail");
    await within(detail).findByTestId("resource-detail-title");
    return detail;
  }

  it("adds the open resource to a chosen manual collection, which then lists it", async () => {
    const { shell, all } = fakeCollections(hits, [
      manual("c-bio", "Biology", []),
      manual("c-unit", "Unit 3", ["r-leaf"], "c-bio"),
      smart("c-smart", "All about photos", "Photo"),
    ]);
    await openLibrary(shell);
    const detail = await openDetail(1);

    const button = within(detail).getByTestId("resource-add-to-collection");
    await fireEvent.click(button);
    expect(button.getAttribute("aria-expanded")).toBe("true");
    const menu = within(detail).getByTestId("collection-menu");
    const choices = await within(menu).findAllByTestId("collection-choice");
    // Smart collections fill themselves, so they are not offered.
    expect(choices.map((choice) => choice.dataset["collectionId"])).toEqual(["c-bio", "c-unit"]);
    expect(document.activeElement).toBe(choices[0]);
    await fireEvent.keyDown(choices[0]!, { key: "ArrowDown" });
    expect(document.activeElement).toBe(choices[1]);

    await fireEvent.click(choices[1]!);
    await waitFor(() =>
      expect(argsOf("library_add_to_collection")).toEqual([
        { request: { id: "c-unit", resourceIds: ["r-photo"] } },
      ]),
    );
    expect(within(detail).queryByTestId("collection-menu")).toBeNull();
    expect(document.activeElement).toBe(button);
    expect((await screen.findByTestId("notice")).textContent).toContain(
      "Added “Photosynthesis” to “Unit 3”.",
    );
    expect(all.get("c-unit")!.items.map((item) => item.id)).toEqual(["r-leaf", "r-photo"]);

    await fireEvent.click(screen.getByTestId("nav-collections"));
    await fireEvent.click(
      (await screen.findAllByTestId("collection-item")).find(
        (item) => item.dataset["collectionId"] === "c-unit",
      )!,
    );
    await waitFor(() => expect(entryIds()).toEqual(["r-leaf", "r-photo"]));
  });

  it("makes a new collection from the menu and adds the resource to it", async () => {
    const { shell, all } = fakeCollections(hits);
    await openLibrary(shell);
    const detail = await openDetail(0);
    await fireEvent.click(within(detail).getByTestId("resource-add-to-collection"));
    const menu = within(detail).getByTestId("collection-menu");
    expect(menu.textContent).toContain("No collections yet.");
    await fireEvent.input(within(menu).getByTestId("collection-quick-name"), {
      target: { value: "Reading list" },
    });
    await fireEvent.click(within(menu).getByTestId("collection-quick-create"));
    await waitFor(() => expect(argsOf("library_add_to_collection")).toHaveLength(1));
    expect(argsOf("library_create_collection")[0]!.request).toEqual({
      name: "Reading list",
      parentId: null,
      query: null,
    });
    const created = [...all.values()][0]!;
    expect(created.items.map((item) => item.id)).toEqual(["r-leaf"]);
  });

  it("marks the collections the resource is already in", async () => {
    const { shell } = fakeCollections(hits, [
      manual("c-bio", "Biology", []),
      manual("c-unit", "Unit 3", ["r-leaf"]),
    ]);
    mockShell(shell);
    render(AddToCollection, { resourceId: "r-leaf", title: "Leaves", inCollections: ["c-unit"] });
    await fireEvent.click(screen.getByTestId("resource-add-to-collection"));
    const choices = await screen.findAllByTestId("collection-choice");
    const marked = Object.fromEntries(
      choices.map((choice) => [choice.dataset["collectionId"], choice.dataset["in"]]),
    );
    expect(marked).toEqual({ "c-bio": "false", "c-unit": "true" });
    expect(screen.getAllByTestId("collection-choice-in")).toHaveLength(1);
  });

  it("closes the menu with Escape, returning focus to its button", async () => {
    const { shell } = fakeCollections(hits, [manual("c-unit", "Unit 3", [])]);
    await openLibrary(shell);
    const detail = await openDetail(0);
    const button = within(detail).getByTestId("resource-add-to-collection");
    await fireEvent.click(button);
    const choice = await within(detail).findByTestId("collection-choice");
    await fireEvent.keyDown(choice, { key: "Escape" });
    expect(within(detail).queryByTestId("collection-menu")).toBeNull();
    expect(document.activeElement).toBe(button);
    // Escape closed the menu only, not the details.
    expect(screen.getByTestId("resource-detail")).toBeTruthy();
  });

  it("filters the library by a manual collection", async () => {
    const { shell } = fakeCollections(hits, [
      manual("c-unit", "Unit 3", ["r-cells"]),
      smart("c-smart", "All about photos", "Photo"),
    ]);
    await openLibrary(shell);
    const filter = (await screen.findByTestId("filter-collection")) as HTMLSelectElement;
    expect([...filter.options].map((option) => option.value)).toEqual(["", "c-unit"]);
    await fireEvent.change(filter, { target: { value: "c-unit" } });
    await waitFor(() =>
      expect(argsOf("library_search_resources").at(-1)?.request.collection).toBe("c-unit"),
    );
    await waitFor(() =>
      expect(screen.getAllByTestId("resource-row").map((row) => row.dataset["resourceId"])).toEqual(
        ["r-cells"],
      ),
    );
    expect(screen.getByTestId("library-status").textContent).toBe("1 result");
  });
});
