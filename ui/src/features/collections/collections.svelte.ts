// The library's collections, shared by the Collections section, the library's collection filter
// and the "Add to collection" menu, so a change made in one shows in the others.

import { listCollections, toCommandError, type Collection, type CommandError } from "../../api";

type State = {
  list: Collection[];
  status: "idle" | "loading" | "ready" | "failed";
  error: CommandError | null;
  /** The collection open in the Collections section, kept while the person works elsewhere. */
  selectedId: string | null;
};

export const collections = $state<State>({
  list: [],
  status: "idle",
  error: null,
  selectedId: null,
});

let sequence = 0;

/** Lists the collections again; the last answer wins. A failure keeps what was listed. */
export async function loadCollections(): Promise<void> {
  const mine = ++sequence;
  if (collections.status !== "ready") collections.status = "loading";
  try {
    const list = await listCollections();
    if (mine !== sequence) return;
    collections.list = list;
    collections.status = "ready";
    collections.error = null;
    if (collections.selectedId && !list.some((item) => item.id === collections.selectedId)) {
      collections.selectedId = null;
    }
  } catch (reason) {
    if (mine !== sequence) return;
    collections.error = toCommandError(reason);
    if (collections.status !== "ready") collections.status = "failed";
  }
}

/** Lists the collections unless that is done or under way. */
export function ensureCollections(): void {
  if (collections.status === "idle" || collections.status === "failed") void loadCollections();
}

/** Forgets everything (for tests). */
export function resetCollections(): void {
  sequence += 1;
  collections.list = [];
  collections.status = "idle";
  collections.error = null;
  collections.selectedId = null;
}
