// Opening a resource in the library from elsewhere in the window (a resource just saved from a
// conversation): the library section is shown, and its list opens the resource's details once it
// is there — after the first-run steps have given way to the list, when the library was empty.

import { showSection } from "../../shell/navigation.svelte";

export const libraryRequests = $state<{ open: string | null }>({ open: null });

/** Shows the library with the resource `id` open in its details. */
export function openInLibrary(id: string): void {
  libraryRequests.open = id;
  showSection("library");
}

/** The resource waiting to be opened, which is then no longer waiting; null when none is. */
export function takeOpenRequest(): string | null {
  const id = libraryRequests.open;
  libraryRequests.open = null;
  return id;
}
