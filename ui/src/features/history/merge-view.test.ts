import { fireEvent, render, screen, waitFor, within } from "@testing-library/svelte";
import { describe, expect, it } from "vitest";
import type { MergeState } from "../../api";
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

  it("chooses a side for files that cannot be merged line by line", async () => {
    const binary: MergeState = {
      ...base,
      content: { kind: "binary", merge: { kind: "conflict", resolution: null } },
      metadata: { merged: {}, conflicts: [] },
      unresolved: 1,
    };
    mockShell({
      history_choose_side: {
        ok: {
          ...binary,
          content: { kind: "binary", merge: { kind: "conflict", resolution: "theirs" } },
          unresolved: 0,
        },
      },
      history_abandon_merge: { ok: null },
    });
    let closed = false;
    render(MergeDialog, { merge: binary, onclose: () => (closed = true) });
    await fireEvent.click(screen.getByTestId("binary-theirs"));
    await waitFor(() =>
      expect(screen.getByTestId("binary-theirs").getAttribute("aria-pressed")).toBe("true"),
    );
    expect(argsOf("history_choose_side")).toEqual([{ request: { id: "res-1", side: "theirs" } }]);
    await fireEvent.click(screen.getByTestId("merge-abandon"));
    await fireEvent.click(await screen.findByTestId("merge-abandon-confirm"));
    await waitFor(() => expect(closed).toBe(true));
    expect(argsOf("history_abandon_merge")).toEqual([{ request: { id: "res-1" } }]);
  });
});
