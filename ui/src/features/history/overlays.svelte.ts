// The history views that take over the window — the merge view, the text editor, a bundle's
// report — and the flows that open them from anywhere: the details panel, the lineage section, a
// bundle's report, a combination. `HistoryOverlays` shows whichever is open.

import {
  getLineage,
  mergeHeads,
  toCommandError,
  type BundleImport,
  type MergeState,
  type ResourceDetails,
} from "../../api";
import { notify } from "../../components/notices.svelte";
import { t } from "../../i18n";
import { libraryChanged } from "../library/changes.svelte";

export type EditorRequest = { id: string; title: string };

export const overlays = $state<{
  merge: MergeState | null;
  editor: EditorRequest | null;
  report: BundleImport | null;
}>({ merge: null, editor: null, report: null });

/** Told when a resource changed through one of these views, so open details can show it. */
export const historyEvents = $state<{ updated: ResourceDetails | null }>({ updated: null });

export function showMerge(state: MergeState): void {
  overlays.merge = state;
}

export function closeMerge(): void {
  overlays.merge = null;
}

export function openEditor(id: string, title: string): void {
  overlays.editor = { id, title };
}

export function closeEditor(): void {
  overlays.editor = null;
}

export function showBundleReport(report: BundleImport): void {
  overlays.report = report;
}

export function closeBundleReport(): void {
  overlays.report = null;
}

export function resourceUpdated(resource: ResourceDetails): void {
  historyEvents.updated = resource;
  libraryChanged();
}

/**
 * Brings the changes of `from` into `id`: a clean outcome is announced, conflicts open the merge
 * view. Resolves with what happened, or null when it failed (the failure is announced).
 */
export async function bringInChanges(
  id: string,
  from: string,
): Promise<"upToDate" | "merged" | "conflicts" | null> {
  try {
    const outcome = await mergeHeads(id, from);
    switch (outcome.status) {
      case "upToDate":
        notify(t("merge.upToDate"));
        return "upToDate";
      case "fastForward":
      case "merged":
        notify(t("merge.brought"));
        resourceUpdated(outcome.resource);
        return "merged";
      case "conflicts":
        showMerge(outcome.merge);
        return "conflicts";
    }
  } catch (reason) {
    notify(t("merge.failed", { message: toCommandError(reason).message }));
    return null;
  }
}

/**
 * Brings in the other version of `id` waiting to be merged (its `incoming` merge candidate): one
 * that arrived in a bundle or a conversation, or edits saved from an older version.
 */
export async function bringInIncoming(
  id: string,
): Promise<"upToDate" | "merged" | "conflicts" | null> {
  try {
    const lineage = await getLineage(id);
    const incoming = lineage.mergeCandidates.find((candidate) => candidate.relation === "incoming");
    if (!incoming) {
      notify(t("merge.upToDate"));
      return "upToDate";
    }
    return await bringInChanges(id, incoming.from);
  } catch (reason) {
    notify(t("merge.failed", { message: toCommandError(reason).message }));
    return null;
  }
}
