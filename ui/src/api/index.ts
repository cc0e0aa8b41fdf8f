// Typed access to the Rust shell. Features import from here, never from `@tauri-apps/api` or a
// plugin.

import type { AppInfo, LibraryInfo } from "../generated/ipc";
import { call } from "./call";

export { call, type CommandName } from "./call";
export { CommandError, isErrorKind, recoveryFor, toCommandError, type Recovery } from "./errors";
export {
  addWatchedFolder,
  cancelImport,
  countResources,
  emptyTrash,
  getPreview,
  getResource,
  getThumbnail,
  importPaths,
  listFacets,
  listWatchedFolders,
  openResource,
  removeWatchedFolder,
  restoreResource,
  searchResources,
  trashResource,
  updateMetadata,
} from "./library";
export {
  addToCollection,
  createCollection,
  deleteCollection,
  getCollectionEntries,
  listCollections,
  moveCollection,
  moveInCollection,
  removeFromCollection,
  renameCollection,
  setCollectionNote,
} from "./collections";
export { listKnownLicences } from "./licences";
export {
  listenForFileDrags,
  listenForLibraryChanges,
  pickFiles,
  pickFolder,
  pickFolders,
  type FileDrag,
} from "./native";
export type {
  AppInfo,
  Collection,
  CollectionEntry,
  EmptyTrashResponse,
  ErrorKind,
  FacetValue,
  Facets,
  Field,
  FieldChange,
  FieldSource,
  ImportItem,
  ImportProgress,
  ImportReport,
  LibraryInfo,
  LicenceInfo,
  Metadata,
  Preview,
  ResourceDetails,
  ScanReport,
  SearchHit,
  SearchQuery,
  SnippetPart,
  SortOrder,
  WatchedFolder,
  WatchMode,
} from "../generated/ipc";

export function getLibraryInfo(): Promise<LibraryInfo> {
  return call("library_get_info", {});
}

export function getAppInfo(): Promise<AppInfo> {
  return call("app_get_info", {});
}
