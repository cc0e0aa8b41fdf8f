// Sharing as a file: writing a bundle of a resource or a collection, and opening one someone
// shared. The paths come from the system's dialogs; `exportTo` and `importFrom` take a path, so
// they also work when the path is given another way (the window tests give it directly).

import {
  exportBundle,
  importBundle,
  pickBundle,
  pickBundleSavePath,
  toCommandError,
  type BundleExport,
  type BundleImport,
} from "../../api";
import { notify } from "../../components/notices.svelte";
import { t } from "../../i18n";
import { libraryChanged } from "../library/changes.svelte";
import { loadCollections } from "../collections/collections.svelte";
import { showBundleReport } from "./overlays.svelte";

export type BundleTarget = { resource: string } | { collection: string };

/** A file name from a title: without characters file systems refuse, never empty. */
export function bundleFileName(title: string): string {
  const cleaned = title
    .replace(/[\\/:*?"<>|\u0000-\u001f]+/g, " ")
    .replace(/\s+/g, " ")
    .trim()
    .slice(0, 80);
  return `${cleaned || "Commonplace"}.commonplace`;
}

/** Writes the bundle to `path` and says so; resolves with what was written, or null. */
export async function exportTo(target: BundleTarget, path: string): Promise<BundleExport | null> {
  try {
    const written = await exportBundle(target, path);
    notify(t("bundle.exported", { count: written.resources, path: written.path }));
    return written;
  } catch (reason) {
    notify(t("bundle.exportFailed", { message: toCommandError(reason).message }));
    return null;
  }
}

/** "Share as file…": asks where, then writes the bundle. */
export async function shareAsFile(target: BundleTarget, title: string): Promise<void> {
  let path: string | null;
  try {
    path = await pickBundleSavePath(
      t("bundle.exportTitle"),
      t("bundle.filter"),
      bundleFileName(title),
    );
  } catch (reason) {
    notify(t("bundle.exportFailed", { message: toCommandError(reason).message }));
    return;
  }
  if (path !== null) await exportTo(target, path);
}

/** Reads the bundle at `path` and shows what it brought; resolves with the report, or null. */
export async function importFrom(path: string): Promise<BundleImport | null> {
  try {
    const report = await importBundle(path);
    libraryChanged();
    if (report.collection !== null) void loadCollections();
    showBundleReport(report);
    return report;
  } catch (reason) {
    notify(t("bundle.importFailed", { message: toCommandError(reason).message }));
    return null;
  }
}

/** "Open a bundle…": asks for the file, then reads it. */
export async function openBundle(): Promise<void> {
  let path: string | null;
  try {
    path = await pickBundle(t("bundle.importTitle"), t("bundle.filter"));
  } catch (reason) {
    notify(t("bundle.importFailed", { message: toCommandError(reason).message }));
    return;
  }
  if (path !== null) await importFrom(path);
}
