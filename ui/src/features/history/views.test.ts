import { fireEvent, render, screen, waitFor, within } from "@testing-library/svelte";
import { afterEach, describe, expect, it } from "vitest";
import { notices } from "../../components/notices.svelte";
import type { ForkCheck, Lineage, MergeState, RevisionSummary } from "../../api";
import { sampleResource } from "../../test/library";
import { argsOf, mockShell } from "../../test/shell";
import ResourceDetail from "../library/ResourceDetail.svelte";
import ForkDialog from "./ForkDialog.svelte";
import HistoryPanel from "./HistoryPanel.svelte";
import LineageView from "./Lineage.svelte";
import { closeEditor, closeMerge, overlays } from "./overlays.svelte";

afterEach(() => {
  closeMerge();
  closeEditor();
});

const resource = sampleResource("res-1", "Leaves", { head: "r3" });

const revisions: RevisionSummary[] = [
  {
    id: "r3",
    resourceId: "res-1",
    parents: ["r2"],
    author: "Ada",
    createdAt: Date.now() - 120_000,
    message: "Fixed a typo",
    size: 10,
    title: "Leaves",
  },
  {
    id: "r2",
    resourceId: "res-1",
    parents: ["r1"],
    author: "Ada",
    createdAt: Date.now() - 86_400_000,
    message: "",
    size: 9,
    title: "Leaves",
  },
  {
    id: "r1",
    resourceId: "src-1",
    parents: [],
    author: "Ben",
    createdAt: Date.now() - 5 * 86_400_000,
    message: "First",
    size: 8,
    title: "Leaves",
  },
];

describe("HistoryPanel", () => {
  it("lists versions, marking those made in the original", async () => {
    mockShell({ history_list_revisions: { ok: revisions } });
    render(HistoryPanel, { resource, title: "Leaves", onrestored: () => {} });
    const rows = await screen.findAllByTestId("revision-row");
    expect(rows).toHaveLength(3);
    expect(within(rows[0]!).getByText("Fixed a typo")).toBeTruthy();
    expect(within(rows[0]!).getByText("2 minutes ago")).toBeTruthy();
    expect(within(rows[1]!).getByText("No description")).toBeTruthy();
    expect(within(rows[2]!).getByTestId("revision-from-original")).toBeTruthy();
    // The current version cannot be restored; the others can.
    expect(within(rows[0]!).queryByTestId("restore-revision")).toBeNull();
    expect(screen.getAllByTestId("restore-revision")).toHaveLength(2);
  });

  it("compares two picked versions, oldest first, showing changed words as text", async () => {
    mockShell({
      history_list_revisions: { ok: revisions },
      history_diff_revisions: {
        ok: {
          from: "r1",
          to: "r3",
          metadata: [{ field: "title", before: "Leaf", after: "Leaves" }],
          sameContent: false,
          text: {
            oldFormat: { lineEnding: "lf", byteOrderMark: false, finalNewline: true },
            newFormat: { lineEnding: "lf", byteOrderMark: false, finalNewline: true },
            oldLineCount: 3,
            newLineCount: 3,
            lineBreaksChanged: false,
            hunks: [
              {
                old: { start: 1, end: 2 },
                new: { start: 1, end: 2 },
                oldLines: [{ segments: [{ text: "a <b>cat</b>", changed: true }] }],
                newLines: [{ segments: [{ text: "a dog", changed: true }] }],
              },
            ],
          },
          noTextDiff: null,
          fromSize: 8,
          toSize: 10,
          fromMediaType: "text/markdown",
          toMediaType: "text/markdown",
        },
      },
    });
    render(HistoryPanel, { resource, title: "Leaves", onrestored: () => {} });
    const picks = await screen.findAllByTestId("revision-pick");
    await fireEvent.click(picks[0]!);
    await fireEvent.click(picks[2]!);
    const diff = await screen.findByTestId("diff-view");
    await within(diff).findByTestId("diff-text");
    expect(argsOf("history_diff_revisions")).toEqual([
      { request: { id: "res-1", from: "r1", to: "r3" } },
    ]);
    const field = within(diff).getByTestId("diff-field");
    expect(field.querySelector("del")?.textContent).toBe("Leaf");
    expect(field.querySelector("ins")?.textContent).toBe("Leaves");
    const row = within(diff).getByTestId("diff-row");
    expect(row.querySelector("del")?.textContent).toBe("a <b>cat</b>");
    expect(row.querySelector("b")).toBeNull();
    expect(row.querySelector("ins")?.textContent).toBe("a dog");
  });

  it("restores a version after confirming", async () => {
    const restored = { ...resource, head: "r4" };
    mockShell({
      history_list_revisions: { ok: revisions },
      history_restore_revision: { ok: restored },
    });
    let heard: unknown = null;
    render(HistoryPanel, { resource, title: "Leaves", onrestored: (value) => (heard = value) });
    const buttons = await screen.findAllByTestId("restore-revision");
    await fireEvent.click(buttons[0]!);
    await fireEvent.click(await screen.findByTestId("restore-revision-confirm"));
    await waitFor(() => expect(heard).toEqual(restored));
    expect(argsOf("history_restore_revision")).toEqual([
      { request: { id: "res-1", revision: "r2" } },
    ]);
  });
});

const attribution = {
  title: "Leaves",
  authors: ["Ana Souza"],
  sourceUrl: "",
  licence: "CC-BY-SA-4.0",
  changesMade: false,
  text: "“Leaves” by Ana Souza is licensed under CC BY-SA 4.0.",
};

function forkCheck(extra: Partial<ForkCheck>): ForkCheck {
  return {
    resourceId: "res-1",
    title: "Leaves",
    sourceLicence: "CC-BY-4.0",
    verdict: "shareable",
    reason: "",
    reasonCode: null,
    allowed: [
      { id: "CC-BY-NC-4.0", recommended: false },
      { id: "CC-BY-4.0", recommended: true },
      { id: "CC-BY-SA-4.0", recommended: true },
    ],
    suggested: "CC-BY-4.0",
    attribution,
    ...extra,
  };
}

describe("ForkDialog", () => {
  it("offers the allowed licences, recommended first, the suggested one picked", async () => {
    const copy = sampleResource("copy-1", "Leaves (copy)");
    mockShell({ history_check_fork: { ok: forkCheck({}) }, history_fork_resource: { ok: copy } });
    let forked: unknown = null;
    render(ForkDialog, {
      id: "res-1",
      title: "Leaves",
      onclose: () => {},
      onforked: (value) => (forked = value),
    });
    await screen.findByTestId("fork-attribution");
    const options = screen.getAllByTestId("fork-licence-option") as HTMLInputElement[];
    expect(options.map((option) => option.dataset["licence"])).toEqual([
      "CC-BY-4.0",
      "CC-BY-SA-4.0",
      "CC-BY-NC-4.0",
    ]);
    expect(options.find((option) => option.checked)?.dataset["licence"]).toBe("CC-BY-4.0");
    expect(screen.getByTestId("fork-attribution").textContent).toContain("Ana Souza");
    await fireEvent.click(options[1]!);
    await fireEvent.click(screen.getByTestId("fork-confirm"));
    await waitFor(() => expect(forked).toEqual(copy));
    expect(argsOf("history_fork_resource")).toEqual([
      { request: { id: "res-1", licence: "CC-BY-SA-4.0" } },
    ]);
  });

  it("explains a refusal in plain words, with no way to copy", async () => {
    mockShell({
      history_check_fork: {
        ok: forkCheck({
          verdict: "refused",
          reason: "ND",
          reasonCode: "noDerivatives",
          allowed: [],
          suggested: null,
        }),
      },
    });
    render(ForkDialog, { id: "res-1", title: "Leaves", onclose: () => {}, onforked: () => {} });
    const refused = await screen.findByTestId("fork-refused");
    expect(refused.textContent).toContain("not share changed versions");
    expect(screen.queryByTestId("fork-confirm")).toBeNull();
    expect(screen.queryByTestId("fork-licence-option")).toBeNull();
  });

  it("offers a private copy when sharing is not allowed", async () => {
    mockShell({
      history_check_fork: {
        ok: forkCheck({
          verdict: "privateOnly",
          reasonCode: "unknown",
          allowed: [],
          suggested: null,
        }),
      },
      history_fork_resource: { ok: sampleResource("copy-2", "Leaves") },
    });
    render(ForkDialog, { id: "res-1", title: "Leaves", onclose: () => {}, onforked: () => {} });
    await screen.findByTestId("fork-private");
    const confirm = screen.getByTestId("fork-confirm");
    expect(confirm.textContent).toContain("Make a private copy");
    await fireEvent.click(confirm);
    await waitFor(() =>
      expect(argsOf("history_fork_resource")).toEqual([
        { request: { id: "res-1", licence: null } },
      ]),
    );
  });
});

const lineage: Lineage = {
  resourceId: "res-1",
  sources: [
    {
      resourceId: "src-1",
      revision: "r1",
      title: "Leaf worksheet",
      origin: "library",
      originLabel: "",
      available: false,
      copiedAt: Date.UTC(2024, 4, 1),
    },
  ],
  changesMade: true,
  attributions: [attribution],
  copies: [],
  mergeCandidates: [
    { from: "src-1", title: "Leaf worksheet", relation: "source" },
    { from: "abcdef0123456789", title: "Leaves", relation: "incoming" },
  ],
  terms: { kind: "original" },
  arrival: null,
};

const conflicted: MergeState = {
  resourceId: "res-1",
  ours: "r3",
  theirs: "t1",
  base: "r1",
  theirsLabel: "Leaf worksheet",
  content: { kind: "binary", merge: { kind: "conflict", resolution: null } },
  metadata: { merged: {}, conflicts: [] },
  fileName: "a.png",
  mediaType: "image/png",
  baseSize: 1,
  oursSize: 2,
  theirsSize: 3,
  unresolved: 1,
  startedAt: 0,
};

describe("Lineage", () => {
  it("says where it was copied from, and that the source is gone", async () => {
    mockShell({ history_get_lineage: { ok: lineage } });
    render(LineageView, { id: "res-1", head: "r3" });
    const source = await screen.findByTestId("lineage-source");
    expect(source.textContent).toContain("Copied from “Leaf worksheet”");
    expect(within(source).getByTestId("lineage-source-gone")).toBeTruthy();
    expect(screen.getByTestId("lineage-attribution").textContent).toContain("Ana Souza");
  });

  it("lists what changes can be brought in from, in plain words", async () => {
    mockShell({
      history_get_lineage: { ok: lineage },
      history_merge_heads: { ok: { status: "upToDate", resource } },
    });
    render(LineageView, { id: "res-1", head: "r3" });
    await fireEvent.click(await screen.findByTestId("merge-from"));
    const candidates = screen.getAllByTestId("merge-candidate");
    expect(candidates.map((candidate) => candidate.dataset["from"])).toEqual([
      "src-1",
      "abcdef0123456789",
    ]);
    expect(candidates[0]?.textContent).toContain("from the original");
    expect(candidates[1]?.textContent).toContain("from another version of this resource");
    await fireEvent.click(candidates[0]!);
    await waitFor(() =>
      expect(notices.map((notice) => notice.message)).toContain("Already up to date."),
    );
    expect(argsOf("history_merge_heads")).toEqual([{ request: { id: "res-1", from: "src-1" } }]);
  });

  it("warns calmly that a private copy stays private, and why", async () => {
    mockShell({
      history_get_lineage: {
        ok: {
          ...lineage,
          terms: {
            kind: "private",
            licence: "all-rights-reserved",
            reason: "The author keeps all rights to this resource (in English).",
          },
        },
      },
    });
    render(LineageView, { id: "res-1", head: "r3" });
    const banner = await screen.findByTestId("lineage-private");
    expect(banner.getAttribute("role")).toBe("note");
    expect(banner.textContent).toContain("Private copy — for your own teaching");
    expect(banner.textContent).toContain("keeps all rights to it");
    expect(banner.textContent).toContain(
      "Its licence stays “All rights reserved”: it can’t be shared as open material.",
    );
    expect(screen.queryByTestId("lineage-allowed")).toBeNull();
  });

  it("says the shell's reason for a private copy it has no words of its own for", async () => {
    mockShell({
      history_get_lineage: {
        ok: { ...lineage, terms: { kind: "private", licence: "MIT", reason: "A reason." } },
      },
    });
    render(LineageView, { id: "res-1", head: "r3" });
    expect((await screen.findByTestId("lineage-private")).textContent).toContain("A reason.");
  });

  it("lists the licences a copy may carry, recommended first", async () => {
    mockShell({
      history_get_lineage: {
        ok: {
          ...lineage,
          terms: {
            kind: "limited",
            allowed: [
              { id: "CC-BY-NC-SA-4.0", recommended: false },
              { id: "CC-BY-SA-4.0", recommended: true },
            ],
          },
        },
      },
    });
    render(LineageView, { id: "res-1", head: "r3" });
    const allowed = await screen.findByTestId("lineage-allowed");
    expect(allowed.textContent).toContain("it may carry only these licences");
    expect(
      within(allowed)
        .getAllByTestId("licence-badge")
        .map((badge) => badge.dataset["licence"]),
    ).toEqual(["CC-BY-SA-4.0", "CC-BY-NC-SA-4.0"]);
    expect(screen.queryByTestId("lineage-private")).toBeNull();
  });

  it("shows nothing about licences for an original", async () => {
    mockShell({ history_get_lineage: { ok: lineage } });
    render(LineageView, { id: "res-1", head: "r3" });
    await screen.findByTestId("lineage-source");
    expect(screen.queryByTestId("lineage-private")).toBeNull();
    expect(screen.queryByTestId("lineage-allowed")).toBeNull();
    expect(screen.queryByTestId("lineage-arrival")).toBeNull();
    expect(screen.queryByTestId("lineage-source-origin")).toBeNull();
  });

  it("says how it arrived: in a bundle", async () => {
    mockShell({
      history_get_lineage: {
        ok: {
          ...lineage,
          arrival: {
            origin: "bundle",
            originLabel: "leaves.commonplace",
            arrivedAt: Date.UTC(2024, 4, 3, 12),
          },
        },
      },
    });
    render(LineageView, { id: "res-1", head: "r3" });
    const arrival = await screen.findByTestId("lineage-arrival");
    expect(arrival.textContent?.trim()).toBe(
      "Came in the bundle “leaves.commonplace” on May 3, 2024.",
    );
  });

  it("says how it arrived: shared in a conversation, and where its source came from", async () => {
    const [source] = lineage.sources;
    mockShell({
      history_get_lineage: {
        ok: {
          ...lineage,
          sources: [
            { ...source!, origin: "conversation", originLabel: "shared by @ana:example.org" },
          ],
          arrival: {
            origin: "conversation",
            originLabel: "shared by @ben:school.example.org",
            arrivedAt: Date.UTC(2024, 4, 3, 12),
          },
        },
      },
    });
    render(LineageView, { id: "res-1", head: "r3" });
    const arrival = await screen.findByTestId("lineage-arrival");
    expect(arrival.textContent?.trim()).toBe(
      "Shared with you by @ben:school.example.org on May 3, 2024.",
    );
    expect(screen.getByTestId("lineage-source-origin").textContent).toBe(
      "(shared with you by @ana:example.org)",
    );
  });

  it("says which bundle a copy's source came in", async () => {
    const [source] = lineage.sources;
    mockShell({
      history_get_lineage: {
        ok: { ...lineage, sources: [{ ...source!, origin: "bundle", originLabel: "unit.zip" }] },
      },
    });
    render(LineageView, { id: "res-1", head: "r3" });
    expect((await screen.findByTestId("lineage-source-origin")).textContent).toBe(
      "(it came in the bundle “unit.zip”)",
    );
  });

  it("words changes from further back in the family", async () => {
    mockShell({
      history_get_lineage: {
        ok: {
          ...lineage,
          mergeCandidates: [{ from: "grand-1", title: "Leaf book", relation: "ancestor" }],
        },
      },
    });
    render(LineageView, { id: "res-1", head: "r3" });
    await fireEvent.click(await screen.findByTestId("merge-from"));
    expect(screen.getByTestId("merge-candidate").textContent).toContain(
      "from the original’s own source",
    );
  });

  it("opens the merge view when the changes conflict", async () => {
    mockShell({
      history_get_lineage: { ok: lineage },
      history_merge_heads: { ok: { status: "conflicts", merge: conflicted } },
    });
    render(LineageView, { id: "res-1", head: "r3" });
    await fireEvent.click(await screen.findByTestId("merge-from"));
    await fireEvent.click(screen.getAllByTestId("merge-candidate")[1]!);
    await waitFor(() => expect(overlays.merge).toEqual(conflicted));
  });
});

describe("the details panel", () => {
  it("offers the text editor only for text, and resuming an unfinished merge", async () => {
    const text = sampleResource("res-1", "Notes", { mediaType: "text/markdown" });
    mockShell({
      library_get_resource: { ok: text },
      library_get_preview: { ok: { kind: "none" } },
      history_get_lineage: { ok: { ...lineage, sources: [], mergeCandidates: [] } },
      history_get_merge: { ok: conflicted },
    });
    render(ResourceDetail, { id: "res-1", onclose: () => {}, onremoved: () => {} });
    await fireEvent.click(await screen.findByTestId("edit-resource"));
    expect(overlays.editor).toEqual({ id: "res-1", title: "Notes" });
    await fireEvent.click(await screen.findByTestId("merge-resume"));
    expect(overlays.merge).toEqual(conflicted);
    expect(screen.getByTestId("history-tab").getAttribute("aria-selected")).toBe("false");
  });

  it("has no editor for other files", async () => {
    mockShell({
      library_get_resource: { ok: resource },
      library_get_preview: { ok: { kind: "none" } },
      history_get_lineage: { ok: lineage },
      history_get_merge: { ok: null },
    });
    render(ResourceDetail, { id: "res-1", onclose: () => {}, onremoved: () => {} });
    await screen.findByTestId("fork-resource");
    expect(screen.queryByTestId("edit-resource")).toBeNull();
    expect(screen.queryByTestId("merge-resume")).toBeNull();
  });
});
