// The single doorway to the Rust shell. Nothing else in the UI imports `invoke`.

import { invoke } from "@tauri-apps/api/core";
import type { Commands } from "../generated/ipc";
import { toCommandError } from "./errors";

export type CommandName = keyof Commands;

/**
 * Runs a shell command with arguments and a response typed by the generated contract.
 * Rejects only with a `CommandError`.
 */
export async function call<K extends CommandName>(
  command: K,
  args: Commands[K]["args"],
): Promise<Commands[K]["response"]> {
  try {
    return await invoke<Commands[K]["response"]>(command, args);
  } catch (reason) {
    throw toCommandError(reason, command);
  }
}
