// A fake Rust shell for tests: answers the commands of the generated contract through mockIPC.

import { mockIPC } from "@tauri-apps/api/mocks";
import type { AppInfo, Commands, IpcError, LibraryInfo } from "../generated/ipc";

export const sampleLibrary: LibraryInfo = {
  path: "/home/ada/Documents/Commonplace Library",
  formatVersion: 1,
  libraryId: "7f9c2ba4-e88f-4a2b-9d1e-1c0f4b9e3a21",
  resourceCount: 0,
  collectionCount: 0,
};

export const sampleApp: AppInfo = {
  version: "0.1.0",
  logFile: "/home/ada/.local/share/commonplace/logs/commonplace.log",
};

/** What a command answers: a value, a rejection, or a promise the test controls. */
export type Answer<T> = { ok: T } | { error: unknown } | { pending: Promise<T> };

export type FakeShell = { [K in keyof Commands]?: Answer<Commands[K]["response"]> };

export function ipcError(kind: IpcError["kind"], message: string): { error: IpcError } {
  return { error: { kind, message } };
}

/** Installs the fake shell; returns the list of commands called, in order. */
export function mockShell(shell: FakeShell = {}): string[] {
  const calls: string[] = [];
  const answers: FakeShell = {
    library_get_info: { ok: sampleLibrary },
    app_get_info: { ok: sampleApp },
    ...shell,
  };
  mockIPC((command) => {
    calls.push(command);
    const answer = answers[command as keyof Commands];
    if (!answer) throw { kind: "notFound", message: `command ${command} not found` };
    if ("ok" in answer) return answer.ok;
    if ("pending" in answer) return answer.pending;
    throw answer.error;
  });
  return calls;
}
