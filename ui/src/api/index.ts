// Typed access to the Rust shell. Features import from here, never from `@tauri-apps/api` or a
// plugin.

import type { AppInfo, LibraryInfo } from "../generated/ipc";
import { call } from "./call";

export { call, type CommandName } from "./call";
export { CommandError, isErrorKind, recoveryFor, toCommandError, type Recovery } from "./errors";
export {
  cancelImport,
  emptyTrash,
  getResource,
  importPaths,
  restoreResource,
  searchResources,
  trashResource,
  updateMetadata,
} from "./library";
export {
  listenForFileDrags,
  listenForLibraryChanges,
  pickFiles,
  pickFolders,
  type FileDrag,
} from "./native";
export type {
  AppInfo,
  EmptyTrashResponse,
  ErrorKind,
  Field,
  FieldChange,
  FieldSource,
  ImportItem,
  ImportProgress,
  ImportReport,
  LibraryInfo,
  Metadata,
  ResourceDetails,
  ScanReport,
  SearchHit,
  SearchQuery,
  SnippetPart,
  SortOrder,
} from "../generated/ipc";

export function getLibraryInfo(): Promise<LibraryInfo> {
  return call("library_get_info", {});
}

export function getAppInfo(): Promise<AppInfo> {
  return call("app_get_info", {});
}
