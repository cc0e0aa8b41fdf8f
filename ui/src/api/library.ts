// Typed helpers for the library commands: search, counts and facets, details, edits, trash,
// thumbnails, opening in another app, watched folders and import.

import { Channel } from "@tauri-apps/api/core";
import type {
  EmptyTrashResponse,
  Facets,
  FieldChange,
  ImportProgress,
  ImportReport,
  Preview,
  ResourceDetails,
  SearchHit,
  SearchQuery,
  WatchedFolder,
} from "../generated/ipc";
import { call } from "./call";

export function searchResources(query: SearchQuery): Promise<SearchHit[]> {
  return call("library_search_resources", { request: query });
}

/** How many resources the query finds, ignoring its limit and offset. */
export function countResources(query: SearchQuery): Promise<number> {
  return call("library_count_resources", { request: query });
}

/** The values the filters can offer, each with how many resources have it. */
export function listFacets(): Promise<Facets> {
  return call("library_list_facets", {});
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

/** Only image data URLs are shown; anything else the shell might send is treated as none. */
const THUMBNAIL_URL = /^data:image\/(?:png|jpeg|gif|webp);base64,[A-Za-z0-9+/]+=*$/;

/**
 * A resource's thumbnail as a `data:image/png;base64,…` URL (the window's CSP allows `data:`
 * images), or null when its kind of file has none.
 */
export async function getThumbnail(id: string): Promise<string | null> {
  const url = await call("library_get_thumbnail", { request: { id } });
  return url !== null && THUMBNAIL_URL.test(url) ? url : null;
}

/**
 * What the window can preview of a resource: its text, or HTML that Rust has already sanitised
 * (Markdown rendered, scripts, handlers, links and images removed), or nothing.
 */
export function getPreview(id: string): Promise<Preview> {
  return call("library_get_preview", { request: { id } });
}

/**
 * Opens a resource in the system's app for its kind of file, through a working copy whose saved
 * changes come back as new versions. Resolves with the working copy's path.
 */
export async function openResource(id: string): Promise<string> {
  const { path } = await call("library_open_resource", { request: { id } });
  return path;
}

export function listWatchedFolders(): Promise<WatchedFolder[]> {
  return call("library_list_watched_folders", {});
}

/** Starts watching a folder (its files are imported now and whenever they change). */
export function addWatchedFolder(path: string): Promise<WatchedFolder[]> {
  return call("library_add_watched_folder", { request: { path } });
}

/** Stops watching a folder; what it brought in stays in the library. */
export function removeWatchedFolder(path: string): Promise<WatchedFolder[]> {
  return call("library_remove_watched_folder", { request: { path } });
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
