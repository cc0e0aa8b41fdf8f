// Typed access to the Rust shell. Features import from here, never from `@tauri-apps/api`.

import type { AppInfo, LibraryInfo } from "../generated/ipc";
import { call } from "./call";

export { call, type CommandName } from "./call";
export { CommandError, isErrorKind, recoveryFor, toCommandError, type Recovery } from "./errors";
export type { AppInfo, ErrorKind, LibraryInfo } from "../generated/ipc";

export function getLibraryInfo(): Promise<LibraryInfo> {
  return call("library_get_info", {});
}

export function getAppInfo(): Promise<AppInfo> {
  return call("app_get_info", {});
}
