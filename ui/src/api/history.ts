// Typed helpers for the history commands: revisions and their differences, copies ("forks") and
// where a resource came from, bringing in changes (merges) and settling their conflicts, the text
// editor and its drafts, combining resources, and bundles to share as files.
//
// Errors arrive as `CommandError`s from `call`; the two kinds that mean something particular
// here are mapped to results a feature can switch on: `invalidInput` from `getText` (the resource
// is not text) and `conflict` from `saveText` (another merge into the resource is unfinished; the
// text was kept as a draft).

import type {
  BundleExport,
  BundleImport,
  CombinationCheck,
  EditableText,
  EditorMode,
  Field,
  FieldChoice,
  ForkCheck,
  Lineage,
  MergeOutcome,
  MergeState,
  Resolution,
  ResourceDetails,
  RevisionDiff,
  RevisionSummary,
  SaveOutcome,
  Side,
  SourceOutline,
} from "../generated/ipc";
import { call } from "./call";
import { toCommandError } from "./errors";

/** Every revision of a resource, newest first (those made in its source before it was copied too). */
export function listRevisions(id: string): Promise<RevisionSummary[]> {
  return call("history_list_revisions", { request: { id } });
}

/** What changed from revision `from` to revision `to`. */
export function diffRevisions(id: string, from: string, to: string): Promise<RevisionDiff> {
  return call("history_diff_revisions", { request: { id, from, to } });
}

/** Makes an earlier revision current again, as a new revision; returns the resource as it now is. */
export function restoreRevision(id: string, revision: string): Promise<ResourceDetails> {
  return call("history_restore_revision", { request: { id, revision } });
}

export function getLineage(id: string): Promise<Lineage> {
  return call("history_get_lineage", { request: { id } });
}

/** Whether a copy may be made, and under which licences. */
export function checkFork(id: string): Promise<ForkCheck> {
  return call("history_check_fork", { request: { id } });
}

/** Makes "my own copy" of a resource; `licence` null takes the suggested one. */
export function forkResource(id: string, licence: string | null): Promise<ResourceDetails> {
  return call("history_fork_resource", { request: { id, licence } });
}

/** Brings the changes of `from` (a resource id, or an incoming revision id) into `id`. */
export function mergeHeads(id: string, from: string): Promise<MergeOutcome> {
  return call("history_merge_heads", { request: { id, from } });
}

/** The unfinished merge of a resource, or null. */
export function getMerge(id: string): Promise<MergeState | null> {
  return call("history_get_merge", { request: { id } });
}

/** Settles the text conflict at `region` (an index into the merge's regions). */
export function resolveConflict(
  id: string,
  region: number,
  resolution: Resolution,
): Promise<MergeState> {
  return call("history_resolve_conflict", { request: { id, region, resolution } });
}

export function resolveField(id: string, field: Field, choice: FieldChoice): Promise<MergeState> {
  return call("history_resolve_field", { request: { id, field, choice } });
}

/** Chooses which version of content that cannot be merged line by line to keep. */
export function chooseSide(id: string, side: Side): Promise<MergeState> {
  return call("history_choose_side", { request: { id, side } });
}

export function finishMerge(id: string): Promise<ResourceDetails> {
  return call("history_finish_merge", { request: { id } });
}

export async function abandonMerge(id: string): Promise<void> {
  await call("history_abandon_merge", { request: { id } });
}

/** The editor's text, or `null` when the resource is not text (so has no editor). */
export async function getText(id: string): Promise<EditableText | null> {
  try {
    return await call("history_get_text", { request: { id } });
  } catch (reason) {
    const error = toCommandError(reason, "history_get_text");
    if (error.kind === "invalidInput") return null;
    throw error;
  }
}

export type SaveTextResult =
  | SaveOutcome
  /**
   * Another merge into the resource is unfinished, so the text could not be combined with the
   * resource's newer changes; it was kept as a draft.
   */
  | { status: "blocked"; message: string };

/**
 * Saves the editor's text as a new revision. When the resource changed since `baseHead`, the text
 * is combined with those changes: cleanly (`merged`), or as a merge to settle (`conflicts`).
 */
export async function saveText(
  id: string,
  baseHead: string,
  text: string,
  message: string,
): Promise<SaveTextResult> {
  try {
    return await call("history_save_text", { request: { id, baseHead, text, message } });
  } catch (reason) {
    const error = toCommandError(reason, "history_save_text");
    if (error.kind === "conflict") return { status: "blocked", message: error.message };
    throw error;
  }
}

export async function saveDraft(id: string, baseHead: string, text: string): Promise<void> {
  await call("history_save_draft", { request: { id, baseHead, text } });
}

export async function discardDraft(id: string): Promise<void> {
  await call("history_discard_draft", { request: { id } });
}

/**
 * The editor's preview: HTML sanitised in Rust (ammonia). Math comes as `span.math` to typeset,
 * images as `img[src^="resource:"]` to resolve.
 */
export function renderPreview(text: string, mode: EditorMode): Promise<string> {
  return call("history_render_preview", { request: { text, mode } });
}

export function checkCombination(ids: string[]): Promise<CombinationCheck> {
  return call("history_check_combination", { request: { ids } });
}

/** The sections each resource offers for quoting in a combination (by heading). */
export function combinationOutline(ids: string[]): Promise<SourceOutline[]> {
  return call("history_combination_outline", { request: { ids } });
}

/**
 * Combines resources into a new Markdown handout. `sections` chooses, for some sources (by id),
 * which sections of the outline to quote; the others are quoted whole.
 */
export function combineResources(
  ids: string[],
  title: string,
  licence: string | null,
  sections: Record<string, number[]> = {},
): Promise<ResourceDetails> {
  return call("history_combine_resources", { request: { ids, sections, title, licence } });
}

/** The thumbnail of one revision of a resource as a `data:` URL, or null when its type has none. */
export function getRevisionThumbnail(id: string, revision: string): Promise<string | null> {
  return call("history_revision_thumbnail", { request: { id, revision } });
}

/** The thumbnail of one side of the unfinished merge into `id`, or null when its type has none. */
export function getMergeThumbnail(id: string, side: Side): Promise<string | null> {
  return call("history_merge_thumbnail", { request: { id, side } });
}

/** Writes a bundle of one resource, or of a collection, to `path`. */
export function exportBundle(
  target: { resource: string } | { collection: string },
  path: string,
): Promise<BundleExport> {
  const id = "resource" in target ? target.resource : null;
  const collectionId = "collection" in target ? target.collection : null;
  return call("history_export_bundle", { request: { id, collectionId, path } });
}

/** Reads the bundle at `path` into the library. */
export function importBundle(path: string): Promise<BundleImport> {
  return call("history_import_bundle", { request: { path } });
}
