// A fake Rust shell for tests: answers the commands of the generated contract through mockIPC.

import { mockIPC } from "@tauri-apps/api/mocks";
import type { AppInfo, Commands, Facets, IpcError, LibraryInfo } from "../generated/ipc";
import { knownLicences } from "./licences";

export const sampleLibrary: LibraryInfo = {
  path: "/home/ada/Documents/Commonplace Library",
  formatVersion: 1,
  libraryId: "7f9c2ba4-e88f-4a2b-9d1e-1c0f4b9e3a21",
  resourceCount: 0,
  collectionCount: 0,
};

export const noFacets: Facets = {
  licences: [],
  resourceTypes: [],
  languages: [],
  educationalLevels: [],
};

export const sampleApp: AppInfo = {
  version: "0.1.0",
  logFile: "/home/ada/.local/share/commonplace/logs/commonplace.log",
};

/**
 * What a command answers: a value, a rejection, a promise the test controls, or a function of
 * the arguments (which may throw to reject).
 */
export type Answer<T, A = unknown> =
  | { ok: T }
  | { error: unknown }
  | { pending: Promise<T> }
  | { handle: (args: A) => T | Promise<T> };

export type FakeShell = {
  [K in keyof Commands]?: Answer<Commands[K]["response"], Commands[K]["args"]>;
};

/** Commands of Tauri's plugins (`plugin:dialog|open`), which the contract does not list. */
export type FakePlugins = Record<`plugin:${string}`, Answer<unknown, Record<string, unknown>>>;

export function ipcError(kind: IpcError["kind"], message: string): { error: IpcError } {
  return { error: { kind, message } };
}

let received: Array<{ command: string; args: unknown }> = [];

/** The arguments of every call to `command` since the last `mockShell`, in order. */
export function argsOf<K extends keyof Commands>(command: K): Array<Commands[K]["args"]> {
  return received
    .filter((call) => call.command === command)
    .map((call) => call.args as Commands[K]["args"]);
}

/** The arguments of every call to a plugin command (`plugin:dialog|open`), in order. */
export function pluginArgsOf(command: `plugin:${string}`): Array<Record<string, unknown>> {
  return received
    .filter((call) => call.command === command)
    .map((call) => call.args as Record<string, unknown>);
}

/**
 * Installs the fake shell; returns the list of commands called, in order. With `events`, Tauri's
 * event plugin is faked too, so `emit` reaches listeners such as the file-drop one.
 */
export function mockShell(
  shell: FakeShell = {},
  options: { plugins?: FakePlugins; events?: boolean } = {},
): string[] {
  const calls: string[] = [];
  received = [];
  const answers: Record<string, Answer<unknown, never> | undefined> = {
    library_get_info: { ok: sampleLibrary },
    app_get_info: { ok: sampleApp },
    // What every window asks for; a test answers otherwise to check how they are used.
    licence_list_known: { ok: knownLicences },
    library_list_facets: { ok: noFacets },
    library_list_collections: { ok: [] },
    library_list_watched_folders: { ok: [] },
    // Messaging unlocked (as with COMMONPLACE_PICKLE_KEY) but with no account yet.
    messaging_get_status: { ok: { lock: "unlocked", accounts: [] } },
    ...shell,
    ...options.plugins,
  };
  mockIPC(
    (command, args) => {
      calls.push(command);
      received.push({ command, args });
      const answer = answers[command];
      if (!answer) throw { kind: "notFound", message: `command ${command} not found` };
      if ("ok" in answer) return answer.ok;
      if ("pending" in answer) return answer.pending;
      if ("handle" in answer) return (answer.handle as (args: unknown) => unknown)(args);
      throw answer.error;
    },
    { shouldMockEvents: options.events ?? false },
  );
  return calls;
}
