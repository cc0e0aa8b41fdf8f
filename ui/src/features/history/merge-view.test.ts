import { fireEvent, render, screen, waitFor, within } from "@testing-library/svelte";
import { describe, expect, it } from "vitest";
import type { MergeState, Side } from "../../api";
import { sampleResource } from "../../test/library";
import { argsOf, mockShell } from "../../test/shell";
import MergeDialog from "./MergeDialog.svelte";

const base: MergeState = {
  resourceId: "res-1",
  ours: "o",
  theirs: "t",
  base: "b",
  theirsLabel: "Leaf worksheet",
  content: {
    kind: "text",
    merge: {
      kind: "conflicted",
      format: { lineEnding: "lf", byteOrderMark: false, finalNewline: true },
      regions: [
        { kind: "resolved", text: "# Leaves\n" },
        { kind: "conflict", base: "old\n", ours: "mine\n", theirs: "theirs\n", resolution: null },
      ],
    },
  },
  metadata: {
    merged: {},
    conflicts: [
      { field: "title", base: "Leaf", ours: "Leaves", theirs: "Leafs", resolution: null },
    ],
  },
  fileName: "leaves.md",
  mediaType: "text/markdown",
  baseSize: 1,
  oursSize: 2,
  theirsSize: 3,
  unresolved: 2,
  startedAt: 0,
};

function settled(state: MergeState): MergeState {
  if (state.content.kind !== "text" || state.content.merge.kind !== "conflicted") return state;
  return {
    ...state,
    content: {
      kind: "text",
      merge: {
        ...state.content.merge,
        regions: state.content.merge.regions.map((region) =>
          region.kind === "conflict" ? { ...region, resolution: { kind: "ours" } } : region,
        ),
      },
    },
    unresolved: state.unresolved - 1,
  };
}

describe("MergeDialog", () => {
  it("settles conflicts one by one and finishes once none is open", async () => {
    const afterText = settled(base);
    const afterField: MergeState = {
      ...afterText,
      metadata: {
        merged: {},
        conflicts: [{ ...base.metadata.conflicts[0]!, resolution: { kind: "theirs" } }],
      },
      unresolved: 0,
    };
    mockShell({
      history_resolve_conflict: { ok: afterText },
      history_resolve_field: { ok: afterField },
      history_finish_merge: { ok: sampleResource("res-1", "Leafs") },
    });
    let closed = false;
    render(MergeDialog, { merge: base, onclose: () => (closed = true) });
    const count = screen.getByTestId("merge-unresolved-count");
    expect(count.dataset["count"]).toBe("2");
    expect(count.textContent).toContain("2 choices left to make");
    expect((screen.getByTestId("merge-finish") as HTMLButtonElement).disabled).toBe(true);

    const conflict = screen.getByTestId("conflict");
    await fireEvent.click(within(conflict).getByTestId("conflict-ours"));
    await waitFor(() =>
      expect(screen.getByTestId("merge-unresolved-count").dataset["count"]).toBe("1"),
    );
    expect(argsOf("history_resolve_conflict")).toEqual([
      { request: { id: "res-1", region: 1, resolution: { kind: "ours" } } },
    ]);
    expect(within(conflict).getByTestId("conflict-result").textContent).toContain("mine");

    const field = screen.getByTestId("field-conflict");
    await fireEvent.click(within(field).getByTestId("field-theirs"));
    await waitFor(() =>
      expect((screen.getByTestId("merge-finish") as HTMLButtonElement).disabled).toBe(false),
    );
    expect(argsOf("history_resolve_field")).toEqual([
      { request: { id: "res-1", field: "title", choice: { kind: "theirs" } } },
    ]);
    await fireEvent.click(screen.getByTestId("merge-finish"));
    await waitFor(() => expect(closed).toBe(true));
    expect(argsOf("history_finish_merge")).toEqual([{ request: { id: "res-1" } }]);
  });

  const binary: MergeState = {
    ...base,
    content: { kind: "binary", merge: { kind: "conflict", resolution: null } },
    metadata: { merged: {}, conflicts: [] },
    fileName: "leaf.png",
    mediaType: "image/png",
    baseSize: 1500,
    oursSize: 2000,
    theirsSize: 3000,
    unresolved: 1,
  };
  const chose = (side: Side): MergeState => ({
    ...binary,
    content: { kind: "binary", merge: { kind: "conflict", resolution: side } },
    unresolved: 0,
  });
  const OURS = "data:image/png;base64,T1VSUw==";
  const THEIRS = "data:image/png;base64,VEhFSVJT";

  it("chooses a side for files that cannot be merged line by line", async () => {
    mockShell({
      history_choose_side: { handle: ({ request }) => chose(request.side) },
      history_merge_thumbnail: { ok: null },
      history_abandon_merge: { ok: null },
    });
    let closed = false;
    render(MergeDialog, { merge: binary, onclose: () => (closed = true) });
    const theirs = screen.getByRole("radio", { name: /Keep theirs/ }) as HTMLInputElement;
    expect(theirs.checked).toBe(false);
    await fireEvent.click(theirs);
    await waitFor(() =>
      expect(screen.getByTestId("merge-unresolved-count").dataset["count"]).toBe("0"),
    );
    expect(theirs.checked).toBe(true);
    expect(argsOf("history_choose_side")).toEqual([{ request: { id: "res-1", side: "theirs" } }]);
    const chosen = screen
      .getAllByTestId("binary-side")
      .find((side) => side.dataset["side"] === "theirs");
    expect(chosen?.textContent).toContain("Chosen");

    await fireEvent.click(screen.getByRole("radio", { name: /Go back to how it was before/ }));
    await waitFor(() =>
      expect((screen.getByTestId("binary-base") as HTMLInputElement).checked).toBe(true),
    );
    expect(theirs.checked).toBe(false);
    expect(argsOf("history_choose_side")[1]).toEqual({ request: { id: "res-1", side: "base" } });

    await fireEvent.click(screen.getByTestId("merge-abandon"));
    await fireEvent.click(await screen.findByTestId("merge-abandon-confirm"));
    await waitFor(() => expect(closed).toBe(true));
    expect(argsOf("history_abandon_merge")).toEqual([{ request: { id: "res-1" } }]);
  });

  it("labels each choice of version plainly", () => {
    mockShell({ history_merge_thumbnail: { ok: null } });
    render(MergeDialog, { merge: binary, onclose: () => {} });
    const radios = screen.getAllByRole("radio") as HTMLInputElement[];
    expect(radios.map((radio) => radio.value)).toEqual(["ours", "theirs", "base"]);
    expect(screen.getByRole("radio", { name: /^Keep mine/ })).toBe(radios[0]);
    expect(screen.getByRole("radio", { name: /^Keep theirs/ })).toBe(radios[1]);
    expect(screen.getByRole("radio", { name: /^Go back to how it was before/ })).toBe(radios[2]);
    expect(screen.getByRole("group", { name: /Choose one to keep/ })).toBeTruthy();
  });

  it("goes back to the saved choice when a choice could not be saved", async () => {
    mockShell({
      history_choose_side: { error: { kind: "io", message: "disk full" } },
      history_merge_thumbnail: { ok: null },
    });
    render(MergeDialog, { merge: chose("ours"), onclose: () => {} });
    const mine = screen.getByTestId("binary-ours") as HTMLInputElement;
    const theirs = screen.getByTestId("binary-theirs") as HTMLInputElement;
    expect(mine.checked).toBe(true);
    await fireEvent.click(theirs);
    await screen.findByRole("alert");
    await waitFor(() => expect(mine.checked).toBe(true));
    expect(theirs.checked).toBe(false);
  });

  it("shows a preview, type and size beside each version", async () => {
    mockShell({
      history_merge_thumbnail: {
        handle: ({ request }) => ({ ours: OURS, theirs: THEIRS, base: null })[request.side],
      },
      history_choose_side: { handle: ({ request }) => chose(request.side) },
    });
    render(MergeDialog, { merge: binary, onclose: () => {} });
    const side = (name: Side) =>
      screen.getAllByTestId("binary-side").find((found) => found.dataset["side"] === name)!;
    await waitFor(() =>
      expect(within(side("ours")).getByTestId("diff-preview-image").getAttribute("src")).toBe(OURS),
    );
    await waitFor(() =>
      expect(within(side("theirs")).getByTestId("diff-preview-image").getAttribute("src")).toBe(
        THEIRS,
      ),
    );
    await waitFor(() =>
      expect(within(side("base")).getByTestId("diff-preview-fallback").dataset["kind"]).toBe(
        "image",
      ),
    );
    expect(within(side("ours")).getByTestId("binary-side-info").textContent?.trim()).toBe(
      "Image · 2 kB",
    );
    expect(within(side("theirs")).getByTestId("binary-side-info").textContent?.trim()).toBe(
      "Image · 3 kB",
    );
    expect(within(side("base")).getByTestId("binary-side-info").textContent?.trim()).toBe(
      "Image · 1.5 kB",
    );
    expect(argsOf("history_merge_thumbnail").map(({ request }) => request)).toEqual([
      { id: "res-1", side: "ours" },
      { id: "res-1", side: "theirs" },
      { id: "res-1", side: "base" },
    ]);
    // Choosing does not ask for the previews again.
    await fireEvent.click(screen.getByTestId("binary-ours"));
    await waitFor(() =>
      expect(screen.getByTestId("merge-unresolved-count").dataset["count"]).toBe("0"),
    );
    expect(argsOf("history_merge_thumbnail")).toHaveLength(3);
  });

  it("asks for no previews when the text can be merged", () => {
    mockShell({});
    render(MergeDialog, { merge: base, onclose: () => {} });
    expect(argsOf("history_merge_thumbnail")).toEqual([]);
    expect(screen.queryByTestId("binary-conflict")).toBeNull();
  });
});
