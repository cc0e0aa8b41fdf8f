// The collections as a tree: pure helpers over the flat list the shell returns (parents before
// their children).

import type { Collection, SearchQuery } from "../../api";

export type CollectionNode = { collection: Collection; depth: number; children: CollectionNode[] };

/** Nests the flat list. A collection whose parent is missing is shown at the top level. */
export function buildTree(list: readonly Collection[]): CollectionNode[] {
  const nodes = new Map<string, CollectionNode>();
  for (const collection of list) {
    nodes.set(collection.id, { collection, depth: 0, children: [] });
  }
  const roots: CollectionNode[] = [];
  for (const node of nodes.values()) {
    const parent = node.collection.parentId ? nodes.get(node.collection.parentId) : undefined;
    if (parent && parent !== node) parent.children.push(node);
    else roots.push(node);
  }
  const setDepth = (node: CollectionNode, depth: number, seen: Set<string>) => {
    if (seen.has(node.collection.id)) return;
    seen.add(node.collection.id);
    node.depth = depth;
    for (const child of node.children) setDepth(child, depth + 1, seen);
  };
  const seen = new Set<string>();
  for (const root of roots) setDepth(root, 0, seen);
  return roots;
}

/** The tree in display order, each node once, depth first. */
export function flatten(roots: readonly CollectionNode[]): CollectionNode[] {
  const out: CollectionNode[] = [];
  const seen = new Set<string>();
  const visit = (node: CollectionNode) => {
    if (seen.has(node.collection.id)) return;
    seen.add(node.collection.id);
    out.push(node);
    for (const child of node.children) visit(child);
  };
  for (const root of roots) visit(root);
  return out;
}

/** Every collection nested in `id`, at any depth (not `id` itself). */
export function descendantsOf(list: readonly Collection[], id: string): Collection[] {
  const found: Collection[] = [];
  const frontier = [id];
  const seen = new Set([id]);
  while (frontier.length > 0) {
    const parent = frontier.pop();
    for (const collection of list) {
      if (collection.parentId === parent && !seen.has(collection.id)) {
        seen.add(collection.id);
        found.push(collection);
        frontier.push(collection.id);
      }
    }
  }
  return found;
}

/** The names from the top down to `id`: ["Biology", "Year 9"]. */
export function pathOf(list: readonly Collection[], id: string): string[] {
  const byId = new Map(list.map((collection) => [collection.id, collection]));
  const names: string[] = [];
  const seen = new Set<string>();
  let current = byId.get(id);
  while (current && !seen.has(current.id)) {
    seen.add(current.id);
    names.unshift(current.name);
    current = current.parentId ? byId.get(current.parentId) : undefined;
  }
  return names;
}

export function isSmart(collection: Collection): boolean {
  return collection.query !== null;
}

/** The most a smart collection lists; the shell's own ceiling for one search. */
export const SMART_LIMIT = 1000;

/** The saved search of a new smart collection: the words typed, over the whole library. */
export function smartQuery(text: string): SearchQuery {
  return {
    text: text.trim(),
    licence: null,
    resourceType: null,
    language: null,
    educationalLevel: null,
    collection: null,
    trashed: false,
    sort: "relevance",
    limit: SMART_LIMIT,
    offset: 0,
  };
}

/**
 * Where a resource moved from `from` lands when dropped before or after the entry at `target`,
 * as the position the shell expects: counted in the list without the moved resource.
 */
export function dropPosition(from: number, target: number, after: boolean): number {
  const position = after ? target + 1 : target;
  return position > from ? position - 1 : position;
}
