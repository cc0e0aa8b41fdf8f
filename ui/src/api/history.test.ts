import { describe, expect, it } from "vitest";
import { argsOf, ipcError, mockShell, pluginArgsOf } from "../test/shell";
import {
  abandonMerge,
  checkCombination,
  checkFork,
  chooseSide,
  combineResources,
  CommandError,
  diffRevisions,
  discardDraft,
  exportBundle,
  finishMerge,
  forkResource,
  getLineage,
  getMerge,
  getText,
  importBundle,
  listRevisions,
  mergeHeads,
  pickBundle,
  pickBundleSavePath,
  renderPreview,
  resolveConflict,
  resolveField,
  restoreRevision,
  saveDraft,
  saveText,
  type MergeState,
  type ResourceDetails,
} from ".";

const resource = { id: "r1" } as ResourceDetails;

describe("the history commands", () => {
  it("send their requests in the shape the shell expects", async () => {
    mockShell({
      history_list_revisions: { ok: [] },
      history_diff_revisions: { ok: null as never },
      history_restore_revision: { ok: resource },
      history_get_lineage: { ok: null as never },
      history_check_fork: { ok: null as never },
      history_fork_resource: { ok: resource },
      history_merge_heads: { ok: { status: "upToDate", resource } },
      history_get_merge: { ok: null },
      history_resolve_conflict: { ok: null as never },
      history_resolve_field: { ok: null as never },
      history_choose_side: { ok: null as never },
      history_finish_merge: { ok: resource },
      history_abandon_merge: { ok: null },
      history_save_draft: { ok: null },
      history_discard_draft: { ok: null },
      history_render_preview: { ok: "<p>x</p>" },
      history_check_combination: { ok: null as never },
      history_combine_resources: { ok: resource },
      history_export_bundle: { ok: null as never },
      history_import_bundle: { ok: null as never },
    });
    await listRevisions("r1");
    await diffRevisions("r1", "a", "b");
    await restoreRevision("r1", "a");
    await getLineage("r1");
    await checkFork("r1");
    await forkResource("r1", null);
    await mergeHeads("r1", "r2");
    await getMerge("r1");
    await resolveConflict("r1", 3, { kind: "custom", text: "mine\n" });
    await resolveField("r1", "title", { kind: "theirs" });
    await chooseSide("r1", "ours");
    await finishMerge("r1");
    await abandonMerge("r1");
    await saveDraft("r1", "h1", "text");
    await discardDraft("r1");
    await expect(renderPreview("# x", "markdown")).resolves.toBe("<p>x</p>");
    await checkCombination(["a", "b"]);
    await combineResources(["a", "b"], "Handout", "CC-BY-4.0");
    await exportBundle({ resource: "r1" }, "/tmp/a.commonplace");
    await exportBundle({ collection: "c1" }, "/tmp/b.commonplace");
    await importBundle("/tmp/a.commonplace");

    expect(argsOf("history_list_revisions")).toEqual([{ request: { id: "r1" } }]);
    expect(argsOf("history_diff_revisions")).toEqual([
      { request: { id: "r1", from: "a", to: "b" } },
    ]);
    expect(argsOf("history_restore_revision")).toEqual([{ request: { id: "r1", revision: "a" } }]);
    expect(argsOf("history_fork_resource")).toEqual([{ request: { id: "r1", licence: null } }]);
    expect(argsOf("history_merge_heads")).toEqual([{ request: { id: "r1", from: "r2" } }]);
    expect(argsOf("history_resolve_conflict")).toEqual([
      { request: { id: "r1", region: 3, resolution: { kind: "custom", text: "mine\n" } } },
    ]);
    expect(argsOf("history_resolve_field")).toEqual([
      { request: { id: "r1", field: "title", choice: { kind: "theirs" } } },
    ]);
    expect(argsOf("history_choose_side")).toEqual([{ request: { id: "r1", side: "ours" } }]);
    expect(argsOf("history_save_draft")).toEqual([
      { request: { id: "r1", baseHead: "h1", text: "text" } },
    ]);
    expect(argsOf("history_render_preview")).toEqual([
      { request: { text: "# x", mode: "markdown" } },
    ]);
    expect(argsOf("history_combine_resources")).toEqual([
      { request: { ids: ["a", "b"], sections: {}, title: "Handout", licence: "CC-BY-4.0" } },
    ]);
    expect(argsOf("history_export_bundle")).toEqual([
      { request: { id: "r1", collectionId: null, path: "/tmp/a.commonplace" } },
      { request: { id: null, collectionId: "c1", path: "/tmp/b.commonplace" } },
    ]);
    expect(argsOf("history_import_bundle")).toEqual([{ request: { path: "/tmp/a.commonplace" } }]);
  });

  it("says a resource that is not text has no editor", async () => {
    mockShell({ history_get_text: ipcError("invalidInput", "not text") });
    await expect(getText("r1")).resolves.toBeNull();
  });

  it("lets other failures to open the text through", async () => {
    mockShell({ history_get_text: ipcError("io", "disk") });
    await expect(getText("r1")).rejects.toBeInstanceOf(CommandError);
  });

  it("returns the saved resource", async () => {
    mockShell({ history_save_text: { ok: { status: "saved", resource } } });
    await expect(saveText("r1", "h1", "t", "Fixed a typo")).resolves.toEqual({
      status: "saved",
      resource,
    });
    expect(argsOf("history_save_text")).toEqual([
      { request: { id: "r1", baseHead: "h1", text: "t", message: "Fixed a typo" } },
    ]);
  });

  it("passes on a save combined with the resource's newer changes", async () => {
    const merged = { ...resource, head: "h3" };
    mockShell({ history_save_text: { ok: { status: "merged", resource: merged } } });
    await expect(saveText("r1", "h1", "t", "")).resolves.toEqual({
      status: "merged",
      resource: merged,
    });
  });

  it("passes on the merge to settle when the changes overlap", async () => {
    const merge = { resourceId: "r1", theirs: "t1" } as MergeState;
    mockShell({ history_save_text: { ok: { status: "conflicts", merge } } });
    await expect(saveText("r1", "h1", "t", "")).resolves.toEqual({ status: "conflicts", merge });
  });

  it("reports a save held back by another unfinished merge", async () => {
    mockShell({
      history_save_text: ipcError("conflict", "unfinished merge; kept as a draft"),
    });
    await expect(saveText("r1", "h1", "text", "")).resolves.toEqual({
      status: "blocked",
      message: "unfinished merge; kept as a draft",
    });
  });

  it("lets other failures to save through", async () => {
    mockShell({ history_save_text: ipcError("io", "disk full") });
    await expect(saveText("r1", "h1", "text", "")).rejects.toMatchObject({
      kind: "io",
      message: "disk full",
    });
  });
});

describe("the bundle dialogs", () => {
  it("asks where to save with the bundle filter, adding the extension", async () => {
    mockShell({}, { plugins: { "plugin:dialog|save": { ok: "/home/ada/Fractions" } } });
    await expect(pickBundleSavePath("Save", "Bundle", "Fractions.commonplace")).resolves.toBe(
      "/home/ada/Fractions.commonplace",
    );
    expect(pluginArgsOf("plugin:dialog|save")).toEqual([
      {
        options: {
          title: "Save",
          defaultPath: "Fractions.commonplace",
          filters: [{ name: "Bundle", extensions: ["commonplace"] }],
        },
      },
    ]);
  });

  it("resolves null when the person cancels", async () => {
    mockShell(
      {},
      { plugins: { "plugin:dialog|save": { ok: null }, "plugin:dialog|open": { ok: null } } },
    );
    await expect(pickBundleSavePath("Save", "Bundle", "a.commonplace")).resolves.toBeNull();
    await expect(pickBundle("Open", "Bundle")).resolves.toBeNull();
  });

  it("opens one bundle", async () => {
    mockShell({}, { plugins: { "plugin:dialog|open": { ok: "/home/ada/in.commonplace" } } });
    await expect(pickBundle("Open", "Bundle")).resolves.toBe("/home/ada/in.commonplace");
    expect(pluginArgsOf("plugin:dialog|open")[0]).toEqual({
      options: {
        title: "Open",
        multiple: false,
        directory: false,
        filters: [{ name: "Bundle", extensions: ["commonplace"] }],
      },
    });
  });
});
