// The running import, shared by the pickers, the drop target and the progress panel. It lives
// outside any one view so that an import goes on, and its panel stays, while the person works
// elsewhere in the window.

import {
  cancelImport,
  importPaths,
  pickFiles,
  pickFolders,
  toCommandError,
  type CommandError,
  type ImportProgress,
  type ImportReport,
} from "../../api";
import { notify } from "../../components/notices.svelte";
import { t } from "../../i18n";
import { libraryChanged } from "./changes.svelte";

export type ImportState =
  | { status: "idle" }
  | {
      status: "running";
      progress: ImportProgress | null;
      cancelling: boolean;
      /** When the import started (`Date.now()`), for the time it has left. */
      startedAt: number;
    }
  | { status: "done"; report: ImportReport }
  | { status: "failed"; error: CommandError };

export const importer = $state<{ current: ImportState }>({ current: { status: "idle" } });

/**
 * How often the window's lists refresh while an import runs: the library stores files in batches
 * as it goes, so a long import fills the list in rather than leaving it unchanged until the end.
 */
export const FILL_IN_INTERVAL_MS = 1000;

export function isImporting(): boolean {
  return importer.current.status === "running";
}

/** Imports files and folders by path; one import at a time. */
export async function startImport(paths: string[]): Promise<void> {
  if (paths.length === 0) return;
  if (isImporting()) {
    notify(t("import.busy"));
    return;
  }
  importer.current = {
    status: "running",
    progress: null,
    cancelling: false,
    startedAt: Date.now(),
  };
  let filledIn = Date.now();
  try {
    const report = await importPaths(paths, (progress) => {
      if (importer.current.status === "running") importer.current.progress = progress;
      if (Date.now() - filledIn >= FILL_IN_INTERVAL_MS) {
        filledIn = Date.now();
        libraryChanged();
      }
    });
    importer.current = { status: "done", report };
  } catch (reason) {
    importer.current = { status: "failed", error: toCommandError(reason) };
  }
  // Even a failed or cancelled import may have added some files.
  libraryChanged();
}

/** The import's time is estimated only after this much of it, when its pace is known. */
export const ESTIMATE_AFTER_MS = 3000;

/**
 * Seconds the running import has left at its pace so far, by bytes (or files, when they are all
 * empty); null until that pace is known.
 */
export function secondsLeft(
  progress: ImportProgress,
  startedAt: number,
  now: number,
): number | null {
  const elapsed = now - startedAt;
  const [done, total] =
    progress.bytesTotal > 0
      ? [progress.bytesDone, progress.bytesTotal]
      : [progress.itemsDone, progress.itemsTotal];
  if (elapsed < ESTIMATE_AFTER_MS || done <= 0 || done >= total) return null;
  return ((elapsed / done) * (total - done)) / 1000;
}

/** Asks the import to stop after the current file; the report then says what was done. */
export async function stopImport(): Promise<void> {
  if (importer.current.status !== "running") return;
  importer.current.cancelling = true;
  try {
    await cancelImport();
  } catch (reason) {
    if (importer.current.status === "running") importer.current.cancelling = false;
    notify(t("common.failed", { message: toCommandError(reason).message }));
  }
}

export function dismissImport(): void {
  if (importer.current.status !== "running") importer.current = { status: "idle" };
}

async function chooseAndImport(pick: () => Promise<string[]>): Promise<void> {
  if (isImporting()) {
    notify(t("import.busy"));
    return;
  }
  let paths: string[];
  try {
    paths = await pick();
  } catch (reason) {
    notify(t("import.pickFailed", { message: toCommandError(reason).message }));
    return;
  }
  await startImport(paths);
}

export function chooseFilesToImport(): Promise<void> {
  return chooseAndImport(() => pickFiles(t("import.pickFilesTitle")));
}

export function chooseFoldersToImport(): Promise<void> {
  return chooseAndImport(() => pickFolders(t("import.pickFolderTitle")));
}
