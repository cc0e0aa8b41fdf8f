// Typed helpers for the library commands: search, details, edits, trash and import.

import { Channel } from "@tauri-apps/api/core";
import type {
  EmptyTrashResponse,
  FieldChange,
  ImportProgress,
  ImportReport,
  ResourceDetails,
  SearchHit,
  SearchQuery,
} from "../generated/ipc";
import { call } from "./call";

export function searchResources(query: SearchQuery): Promise<SearchHit[]> {
  return call("library_search_resources", { request: query });
}

export function getResource(id: string): Promise<ResourceDetails> {
  return call("library_get_resource", { request: { id } });
}

/** Saves the changes as one new revision and returns the resource as it now is. */
export function updateMetadata(id: string, changes: FieldChange[]): Promise<ResourceDetails> {
  return call("library_update_metadata", { request: { id, changes } });
}

export async function trashResource(id: string): Promise<void> {
  await call("library_trash_resource", { request: { id } });
}

export async function restoreResource(id: string): Promise<void> {
  await call("library_restore_resource", { request: { id } });
}

export function emptyTrash(): Promise<EmptyTrashResponse> {
  return call("library_empty_trash", {});
}

/**
 * Imports files and folders (folders recursively). `onProgress` hears after every file; the
 * promise resolves with what happened to each item, also when the import was cancelled.
 */
export function importPaths(
  paths: string[],
  onProgress: (progress: ImportProgress) => void,
): Promise<ImportReport> {
  const channel = new Channel<ImportProgress>(onProgress);
  return call("library_import_paths", { request: { paths }, onProgress: channel });
}

/** Asks a running import to stop after the current file. */
export async function cancelImport(): Promise<void> {
  await call("library_cancel_import", {});
}
