// The native pieces of the window that are not our own commands: the open and save dialogs, files
// dropped on the window, and events the shell sends. Features use these wrappers, never the plugins themselves.

import { listen } from "@tauri-apps/api/event";
import { getCurrentWebview } from "@tauri-apps/api/webview";
import { open, save } from "@tauri-apps/plugin-dialog";
import type { Events } from "../generated/ipc";
import { toCommandError } from "./errors";

function asPaths(picked: string | string[] | null): string[] {
  if (picked === null) return [];
  return Array.isArray(picked) ? picked : [picked];
}

/**
 * Asks for files with the system's open dialog. Resolves with the absolute paths picked, or
 * none when the person cancelled; rejects only with a `CommandError`.
 */
export async function pickFiles(title: string): Promise<string[]> {
  try {
    return asPaths(await open({ title, multiple: true, directory: false }));
  } catch (reason) {
    throw toCommandError(reason, "plugin:dialog|open");
  }
}

/** Asks for folders with the system's open dialog; as `pickFiles`. */
export async function pickFolders(title: string): Promise<string[]> {
  try {
    return asPaths(await open({ title, multiple: true, directory: true }));
  } catch (reason) {
    throw toCommandError(reason, "plugin:dialog|open");
  }
}

/**
 * Asks for one folder with the system's open dialog. Resolves with its absolute path, or null
 * when the person cancelled; rejects only with a `CommandError`.
 */
export async function pickFolder(title: string): Promise<string | null> {
  try {
    return asPaths(await open({ title, multiple: false, directory: true }))[0] ?? null;
  } catch (reason) {
    throw toCommandError(reason, "plugin:dialog|open");
  }
}

/**
 * Asks for one file with the system's open dialog. Resolves with its absolute path, or null when
 * the person cancelled; rejects only with a `CommandError`.
 */
export async function pickFile(title: string): Promise<string | null> {
  try {
    return asPaths(await open({ title, multiple: false, directory: false }))[0] ?? null;
  } catch (reason) {
    throw toCommandError(reason, "plugin:dialog|open");
  }
}

/**
 * Asks where to save a file with the system's save dialog, offering `defaultName`. Resolves with
 * the absolute path, or null when the person cancelled; rejects only with a `CommandError`.
 */
export async function pickSavePath(title: string, defaultName: string): Promise<string | null> {
  try {
    const path = await save({ title, defaultPath: defaultName });
    return path === null || path === "" ? null : path;
  } catch (reason) {
    throw toCommandError(reason, "plugin:dialog|save");
  }
}

/** The extension of Commonplace's bundles, without the dot. */
export const BUNDLE_EXTENSION = "commonplace";

/**
 * Asks where to save a bundle with the system's save dialog, offering `defaultName`. Resolves
 * with the absolute path (ending in `.commonplace`), or null when the person cancelled.
 */
export async function pickBundleSavePath(
  title: string,
  filterName: string,
  defaultName: string,
): Promise<string | null> {
  try {
    const path = await save({
      title,
      defaultPath: defaultName,
      filters: [{ name: filterName, extensions: [BUNDLE_EXTENSION] }],
    });
    if (path === null || path === "") return null;
    return path.toLowerCase().endsWith(`.${BUNDLE_EXTENSION}`)
      ? path
      : `${path}.${BUNDLE_EXTENSION}`;
  } catch (reason) {
    throw toCommandError(reason, "plugin:dialog|save");
  }
}

/** Asks for one bundle to open; resolves with its path, or null when the person cancelled. */
export async function pickBundle(title: string, filterName: string): Promise<string | null> {
  try {
    const picked = await open({
      title,
      multiple: false,
      directory: false,
      filters: [{ name: filterName, extensions: [BUNDLE_EXTENSION] }],
    });
    return asPaths(picked)[0] ?? null;
  } catch (reason) {
    throw toCommandError(reason, "plugin:dialog|open");
  }
}

/**
 * Stops a listener. Stopping can only fail when the window is going away, and then nothing
 * listens anyway. (Tauri types the function as returning nothing, but it returns a promise.)
 */
function stopQuietly(unlisten: () => unknown): void {
  try {
    void Promise.resolve(unlisten()).catch(() => {});
  } catch {
    // As above.
  }
}

/**
 * Listens for one of the shell's events. Resolves with the function that stops listening; outside
 * the app's window (a browser, a test without the event mock) there is nothing to listen to, and
 * the returned function does nothing. The other api modules listen through this one.
 */
export async function listenForEvent<E extends keyof Events>(
  name: E,
  handler: (payload: Events[E]) => void,
): Promise<() => void> {
  try {
    const unlisten = await listen<Events[E]>(name, (event) => handler(event.payload));
    return () => stopQuietly(unlisten);
  } catch {
    return () => {};
  }
}

/**
 * Listens for the shell saying that the library changed by itself (a watched folder was
 * scanned). Resolves with the function that stops listening; outside the app's window it does
 * nothing.
 */
export function listenForLibraryChanges(
  handler: (report: Events["library-changed"]) => void,
): Promise<() => void> {
  return listenForEvent("library-changed", handler);
}

/** Files dragged over the window: where the drag is, and what was dropped. */
export type FileDrag =
  | { type: "enter"; paths: string[] }
  | { type: "over" }
  | { type: "drop"; paths: string[] }
  | { type: "leave" };

/**
 * Listens for files dragged onto the window. Resolves with the function that stops listening.
 * Outside the app's window (a browser, a test without the event mock) there is nothing to
 * listen to, and the returned function does nothing.
 */
export async function listenForFileDrags(handler: (drag: FileDrag) => void): Promise<() => void> {
  try {
    const unlisten = await getCurrentWebview().onDragDropEvent(({ payload }) => {
      switch (payload.type) {
        case "enter":
          handler({ type: "enter", paths: payload.paths });
          break;
        case "over":
          handler({ type: "over" });
          break;
        case "drop":
          handler({ type: "drop", paths: payload.paths });
          break;
        case "leave":
          handler({ type: "leave" });
          break;
      }
    });
    return () => stopQuietly(unlisten);
  } catch {
    return () => {};
  }
}
