// A signal that the library's contents changed (an import, an edit, the trash), so the window
// refreshes its counts and lists. Whoever changes the library calls `libraryChanged`.

export const libraryChanges = $state({ version: 0 });

export function libraryChanged(): void {
  libraryChanges.version += 1;
}
