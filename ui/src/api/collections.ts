// Typed helpers for the collection commands: the tree of collections, their entries in the
// curator's order, and the notes on them.

import type { Collection, CollectionEntry, SearchQuery } from "../generated/ipc";
import { call } from "./call";

/** Every collection, parents before their children. */
export function listCollections(): Promise<Collection[]> {
  return call("library_list_collections", {});
}

/** A new collection: nested in `parentId` if given, smart (a saved search) if `query` is given. */
export function createCollection(
  name: string,
  parentId: string | null,
  query: SearchQuery | null,
): Promise<Collection> {
  return call("library_create_collection", { request: { name, parentId, query } });
}

export function renameCollection(id: string, name: string): Promise<Collection> {
  return call("library_rename_collection", { request: { id, name } });
}

/** Nests a collection in another, or at the top level with a null `parentId`. */
export function moveCollection(id: string, parentId: string | null): Promise<Collection> {
  return call("library_move_collection", { request: { id, parentId } });
}

/** Deletes a collection and those nested in it; the resources stay in the library. */
export async function deleteCollection(id: string): Promise<void> {
  await call("library_delete_collection", { request: { id } });
}

/** The resources in a collection, in the curator's order (a smart one: what its search finds). */
export function getCollectionEntries(id: string): Promise<CollectionEntry[]> {
  return call("library_get_collection_entries", { request: { id } });
}

/** Appends resources to a manual collection; those already in it stay where they are. */
export function addToCollection(id: string, resourceIds: string[]): Promise<Collection> {
  return call("library_add_to_collection", { request: { id, resourceIds } });
}

export async function removeFromCollection(id: string, resourceId: string): Promise<void> {
  await call("library_remove_from_collection", { request: { id, resourceId } });
}

/** Moves a resource to `position` (0 is first) in the curator's order. */
export async function moveInCollection(
  id: string,
  resourceId: string,
  position: number,
): Promise<void> {
  await call("library_move_in_collection", { request: { id, resourceId, position } });
}

export async function setCollectionNote(
  id: string,
  resourceId: string,
  note: string,
): Promise<void> {
  await call("library_set_collection_note", { request: { id, resourceId, note } });
}
