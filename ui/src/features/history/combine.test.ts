import { fireEvent, render, screen, waitFor, within } from "@testing-library/svelte";
import { afterEach, describe, expect, it } from "vitest";
import type { CombinationCheck, Section, SourceOutline } from "../../api";
import { sampleHit, sampleResource } from "../../test/library";
import { argsOf, ipcError, mockShell, type FakeShell } from "../../test/shell";
import CombineDialog from "./CombineDialog.svelte";
import { closeEditor, overlays } from "./overlays.svelte";
import {
  depth,
  included,
  nothingPicked,
  requestedSections,
  subsections,
  toggle,
  type SectionChoice,
} from "./sections";

afterEach(() => {
  closeEditor();
});

const section = (index: number, level: number, heading: string): Section => ({
  index,
  heading,
  level,
  bytes: 100,
});

/** "Fractions": text before its first heading, then headings with sub-headings. */
const fractions: SourceOutline = {
  id: "res-1",
  title: "Fractions",
  sections: [
    section(0, 0, ""),
    section(1, 1, "Halves"),
    section(2, 2, "Folding paper"),
    section(3, 2, "Sharing a pizza"),
    section(4, 1, "Quarters"),
  ],
};
const poem: SourceOutline = { id: "res-2", title: "A poem", sections: [section(0, 0, "")] };
const photo: SourceOutline = { id: "res-3", title: "Pizza photo", sections: [] };
const outlines = [fractions, poem, photo];

const check: CombinationCheck = {
  possible: true,
  reason: "",
  allowed: [
    { id: "CC-BY-4.0", recommended: true },
    { id: "CC-BY-SA-4.0", recommended: true },
  ],
  suggested: "CC-BY-4.0",
  attributions: outlines.map((outline) => ({
    title: outline.title,
    authors: ["Ana Souza"],
    sourceUrl: "",
    licence: "CC-BY-4.0",
    changesMade: false,
    text: `“${outline.title}” by Ana Souza is licensed under CC BY 4.0.`,
  })),
};

function combineShell(extra: FakeShell = {}): FakeShell {
  return {
    library_search_resources: {
      ok: [sampleHit("res-2", "A poem"), sampleHit("res-3", "Pizza photo")],
    },
    history_check_combination: { ok: check },
    history_combination_outline: {
      handle: ({ request }) =>
        request.ids.map((id) => outlines.find((outline) => outline.id === id)!),
    },
    history_combine_resources: { ok: sampleResource("made-1", "Handout: Fractions") },
    ...extra,
  };
}

/** Opens the dialog on "Fractions" and adds the poem and the photo from the picker. */
async function openDialog(shell: FakeShell = combineShell()) {
  mockShell(shell);
  let closed = false;
  render(CombineDialog, { id: "res-1", title: "Fractions", onclose: () => (closed = true) });
  for (const id of ["res-2", "res-3"]) {
    const options = await screen.findAllByTestId("combine-picker-option");
    await fireEvent.click(options.find((option) => option.dataset["resourceId"] === id)!);
  }
  return { closed: () => closed };
}

const source = (id: string) =>
  screen.getAllByTestId("combine-source").find((element) => element.dataset["resourceId"] === id)!;
const confirm = () => screen.getByTestId("combine-confirm") as HTMLButtonElement;

describe("CombineDialog", () => {
  it("shows what each source offers, quoting every text whole by default", async () => {
    const dialog = await openDialog();
    await screen.findAllByTestId("combine-source");
    expect(argsOf("history_combination_outline").at(-1)).toEqual({
      request: { ids: ["res-1", "res-2", "res-3"] },
    });
    expect(
      screen.getAllByTestId("combine-source").map((element) => element.dataset["resourceId"]),
    ).toEqual(["res-1", "res-2", "res-3"]);
    const whole = within(source("res-1")).getByTestId("combine-whole") as HTMLInputElement;
    expect(whole.checked).toBe(true);
    expect(within(source("res-1")).queryAllByTestId("combine-section")).toHaveLength(0);
    // One section is no choice; what is not text is named, not quoted.
    expect(within(source("res-2")).queryByTestId("combine-whole")).toBeNull();
    expect(within(source("res-2")).getByTestId("combine-quoted-whole").textContent).toContain(
      "quoted whole",
    );
    expect(within(source("res-3")).getByTestId("combine-named").textContent).toContain(
      "name it instead of quoting it",
    );
    // The licence check and the credits are as before.
    expect(screen.getAllByTestId("combine-attribution")).toHaveLength(3);

    await fireEvent.click(confirm());
    await waitFor(() => expect(dialog.closed()).toBe(true));
    expect(argsOf("history_combine_resources")).toEqual([
      {
        request: {
          ids: ["res-1", "res-2", "res-3"],
          sections: {},
          title: "Handout: Fractions",
          licence: "CC-BY-4.0",
        },
      },
    ]);
    expect(overlays.editor).toEqual({ id: "made-1", title: "Handout: Fractions" });
  });

  it("says the resources found are already chosen once they all are", async () => {
    await openDialog();
    expect(screen.queryByTestId("combine-picker-option")).toBeNull();
    expect(screen.getByTestId("combine-picker-empty").textContent?.trim()).toBe(
      "Everything found is already chosen.",
    );
    await fireEvent.click(screen.getByRole("button", { name: "Remove A poem" }));
    const options = screen.getAllByTestId("combine-picker-option");
    expect(options.map((option) => option.dataset["resourceId"])).toEqual(["res-2"]);
  });

  it("quotes only the sections chosen, a heading taking its sub-headings with it", async () => {
    await openDialog();
    await screen.findAllByTestId("combine-source");
    await fireEvent.click(within(source("res-1")).getByTestId("combine-some"));
    const boxes = () =>
      within(source("res-1")).getAllByTestId("combine-section") as HTMLInputElement[];
    expect(boxes().map((box) => box.parentElement?.textContent?.trim())).toEqual([
      "Text before the first heading",
      "Halves",
      "Folding paper",
      "Sharing a pizza",
      "Quarters",
    ]);
    // Sub-headings are indented under their heading.
    const depths = boxes().map((box) => box.closest("li")?.style.getPropertyValue("--depth"));
    expect(depths).toEqual(["0", "0", "1", "1", "0"]);
    // Nothing chosen yet: the handout can't be made as chosen.
    expect(screen.getByTestId("combine-pick-some")).toBeTruthy();
    expect(confirm().disabled).toBe(true);

    await fireEvent.click(boxes()[2]!);
    await fireEvent.click(boxes()[1]!);
    // "Halves" includes "Folding paper" and "Sharing a pizza": shown chosen, not chosen again.
    expect(boxes().map((box) => [box.checked, box.disabled])).toEqual([
      [false, false],
      [true, false],
      [true, true],
      [true, true],
      [false, false],
    ]);
    await fireEvent.click(boxes()[0]!);
    expect(screen.queryByTestId("combine-pick-some")).toBeNull();
    expect(confirm().disabled).toBe(false);

    await fireEvent.click(confirm());
    await waitFor(() => expect(argsOf("history_combine_resources")).toHaveLength(1));
    expect(argsOf("history_combine_resources")[0]!.request.sections).toEqual({
      "res-1": [0, 1],
    });
  });

  it("goes back to the whole text, keeping what was chosen for later", async () => {
    await openDialog();
    await screen.findAllByTestId("combine-source");
    await fireEvent.click(within(source("res-1")).getByTestId("combine-some"));
    await fireEvent.click(within(source("res-1")).getAllByTestId("combine-section")[4]!);
    await fireEvent.click(within(source("res-1")).getByTestId("combine-whole"));
    expect(within(source("res-1")).queryAllByTestId("combine-section")).toHaveLength(0);
    await fireEvent.click(within(source("res-1")).getByTestId("combine-some"));
    const boxes = within(source("res-1")).getAllByTestId("combine-section") as HTMLInputElement[];
    expect(boxes.map((box) => box.checked)).toEqual([false, false, false, false, true]);
    await fireEvent.click(within(source("res-1")).getByTestId("combine-whole"));

    await fireEvent.click(confirm());
    await waitFor(() => expect(argsOf("history_combine_resources")).toHaveLength(1));
    expect(argsOf("history_combine_resources")[0]!.request.sections).toEqual({});
  });

  it("quotes everything whole when the sections can't be read", async () => {
    await openDialog(
      combineShell({ history_combination_outline: ipcError("io", "the disk is unreadable") }),
    );
    const failed = await screen.findByTestId("combine-outline-failed");
    expect(failed.textContent).toContain("the disk is unreadable");
    expect(screen.queryByTestId("combine-source")).toBeNull();
    await fireEvent.click(confirm());
    await waitFor(() => expect(argsOf("history_combine_resources")).toHaveLength(1));
    expect(argsOf("history_combine_resources")[0]!.request.sections).toEqual({});
  });
});

describe("choosing sections", () => {
  const sections = fractions.sections;

  it("finds the sub-headings a heading takes with it", () => {
    expect(subsections(sections, 1)).toEqual([2, 3]);
    expect(subsections(sections, 2)).toEqual([]);
    expect(subsections(sections, 4)).toEqual([]);
    // The text before the first heading holds no headings.
    expect(subsections(sections, 0)).toEqual([]);
    expect(included(sections, [1, 4])).toEqual(new Set([2, 3]));
  });

  it("drops sub-headings already chosen when their heading is chosen", () => {
    expect(toggle(sections, [3, 0], 1)).toEqual([0, 1]);
    expect(toggle(sections, [0, 1], 1)).toEqual([0]);
    expect(toggle(sections, [4], 2)).toEqual([2, 4]);
  });

  it("asks only for the sources narrowed down, and names those narrowed to nothing", () => {
    const choices: Record<string, SectionChoice> = {
      "res-1": { whole: false, picked: [4, 1] },
      // One section is no choice, even if a choice was somehow recorded for it.
      "res-2": { whole: false, picked: [] },
      "res-3": { whole: false, picked: [] },
    };
    expect(requestedSections(outlines, choices)).toEqual({ "res-1": [1, 4] });
    expect(requestedSections(outlines, { "res-1": { whole: true, picked: [1] } })).toEqual({});
    expect(nothingPicked(outlines, choices)).toEqual([]);
    expect(nothingPicked(outlines, { "res-1": { whole: false, picked: [] } })).toEqual(["res-1"]);
  });

  it("indents from the outline's highest heading level", () => {
    const deep = [section(0, 2, "Two"), section(1, 3, "Three"), section(2, 2, "Two again")];
    expect(deep.map((each) => depth(deep, each))).toEqual([0, 1, 0]);
    expect(depth(sections, sections[0]!)).toBe(0);
  });
});
