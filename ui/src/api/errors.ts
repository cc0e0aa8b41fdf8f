// The one error that features see when a command fails, and what each kind means for the user.
// Rust serialises every command error as `{ kind, message }`; anything else that rejects (a
// missing command, a permission refused by the shell, no Tauri at all) becomes `internal`.

import type { ErrorKind, IpcError } from "../generated/ipc";

/** Every kind the Rust side can send. TypeScript fails here if the generated union changes. */
const KNOWN_KINDS: Record<ErrorKind, true> = {
  notFound: true,
  invalidInput: true,
  locked: true,
  conflict: true,
  forbidden: true,
  unsupported: true,
  io: true,
  internal: true,
};

export class CommandError extends Error {
  readonly kind: ErrorKind;
  /** The command that failed, when known; for the log, not for the user. */
  readonly command: string | undefined;

  constructor(kind: ErrorKind, message: string, command?: string) {
    super(message);
    this.name = "CommandError";
    this.kind = kind;
    this.command = command;
  }
}

export function isErrorKind(value: unknown): value is ErrorKind {
  return typeof value === "string" && Object.hasOwn(KNOWN_KINDS, value);
}

function isIpcError(value: unknown): value is IpcError {
  if (typeof value !== "object" || value === null) return false;
  const candidate = value as Record<string, unknown>;
  return isErrorKind(candidate["kind"]) && typeof candidate["message"] === "string";
}

function messageOf(reason: unknown): string {
  if (reason instanceof Error) return reason.message;
  if (typeof reason === "string") return reason;
  if (typeof reason === "object" && reason !== null) {
    const message = (reason as Record<string, unknown>)["message"];
    if (typeof message === "string") return message;
  }
  return String(reason);
}

/** Turns whatever a rejected `invoke` produced into a `CommandError`. */
export function toCommandError(reason: unknown, command?: string): CommandError {
  if (reason instanceof CommandError) return reason;
  if (isIpcError(reason)) return new CommandError(reason.kind, reason.message, command);
  return new CommandError("internal", messageOf(reason), command);
}

/**
 * What the user can do about a failure. Features pick their words from this rather than
 * switching on kinds themselves, so a new kind is handled in one place.
 */
export type Recovery = "closeOtherInstance" | "checkFolder" | "tryAgain";

export function recoveryFor(kind: ErrorKind): Recovery {
  switch (kind) {
    case "locked":
      return "closeOtherInstance";
    case "io":
    case "forbidden":
    case "notFound":
      return "checkFolder";
    case "invalidInput":
    case "conflict":
    case "unsupported":
    case "internal":
      return "tryAgain";
  }
}
