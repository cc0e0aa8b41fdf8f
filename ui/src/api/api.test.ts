import { mockIPC } from "@tauri-apps/api/mocks";
import { describe, expect, it } from "vitest";
import { argsOf, ipcError, mockShell, sampleApp, sampleLibrary } from "../test/shell";
import {
  call,
  CommandError,
  getAppInfo,
  getLibraryInfo,
  openLink,
  recoveryFor,
  toCommandError,
} from ".";

async function rejection(promise: Promise<unknown>): Promise<CommandError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(CommandError);
    return error as CommandError;
  }
  throw new Error("expected the promise to reject");
}

describe("toCommandError", () => {
  it("keeps the kind and message of an IPC error", () => {
    const error = toCommandError({ kind: "locked", message: "held by pid 42" }, "library_get_info");
    expect(error).toBeInstanceOf(CommandError);
    expect(error).toBeInstanceOf(Error);
    expect(error.kind).toBe("locked");
    expect(error.message).toBe("held by pid 42");
    expect(error.command).toBe("library_get_info");
  });

  it("maps a string rejection to internal and keeps the text", () => {
    const error = toCommandError("Command library_nope not found");
    expect(error.kind).toBe("internal");
    expect(error.message).toBe("Command library_nope not found");
  });

  it("maps an unknown kind to internal", () => {
    const error = toCommandError({ kind: "exploded", message: "boom" });
    expect(error.kind).toBe("internal");
    expect(error.message).toBe("boom");
  });

  it("maps an object whose message is not a string to internal", () => {
    expect(toCommandError({ kind: "io", message: 7 }).kind).toBe("internal");
  });

  it("maps a thrown Error to internal", () => {
    const error = toCommandError(new TypeError("window.__TAURI_INTERNALS__ is undefined"));
    expect(error.kind).toBe("internal");
    expect(error.message).toContain("__TAURI_INTERNALS__");
  });

  it("maps null and undefined to internal", () => {
    expect(toCommandError(null).kind).toBe("internal");
    expect(toCommandError(undefined).kind).toBe("internal");
  });

  it("returns a CommandError unchanged", () => {
    const original = new CommandError("conflict", "two heads");
    expect(toCommandError(original)).toBe(original);
  });
});

describe("call", () => {
  it("passes the command and arguments and returns the response", async () => {
    let seen: { command: string; payload: unknown } | undefined;
    mockIPC((command, payload) => {
      seen = { command, payload };
      return sampleLibrary;
    });
    await expect(call("library_get_info", {})).resolves.toEqual(sampleLibrary);
    expect(seen).toEqual({ command: "library_get_info", payload: {} });
  });

  it("rejects with a typed CommandError when Rust returns an IPC error", async () => {
    mockShell({ library_get_info: { error: { kind: "locked", message: "in use" } } });
    const error = await rejection(getLibraryInfo());
    expect(error.kind).toBe("locked");
    expect(error.message).toBe("in use");
    expect(error.command).toBe("library_get_info");
  });

  it("rejects with kind internal when the rejection is not shaped like an IPC error", async () => {
    mockShell({ app_get_info: { error: "permission denied by capability" } });
    const error = await rejection(getAppInfo());
    expect(error.kind).toBe("internal");
    expect(error.message).toBe("permission denied by capability");
  });

  it("typed helpers call the contract's commands", async () => {
    const calls = mockShell();
    await expect(getLibraryInfo()).resolves.toEqual(sampleLibrary);
    await expect(getAppInfo()).resolves.toEqual(sampleApp);
    expect(calls).toEqual(["library_get_info", "app_get_info"]);
  });

  it("hands a link to the shell as it is, and passes on its refusal", async () => {
    mockShell({ app_open_link: { ok: null } });
    await expect(openLink("https://example.org/plan?a=1#b")).resolves.toBeUndefined();
    expect(argsOf("app_open_link")).toEqual([
      { request: { url: "https://example.org/plan?a=1#b" } },
    ]);

    mockShell({ app_open_link: ipcError("invalidInput", "not a web or mail address") });
    const error = await rejection(openLink("javascript:alert(1)"));
    expect(error.kind).toBe("invalidInput");
    expect(error.command).toBe("app_open_link");
  });
});

describe("recoveryFor", () => {
  it("asks to close the other window when the library is locked", () => {
    expect(recoveryFor("locked")).toBe("closeOtherInstance");
  });

  it("asks to check the folder for file-system failures", () => {
    expect(recoveryFor("io")).toBe("checkFolder");
    expect(recoveryFor("forbidden")).toBe("checkFolder");
    expect(recoveryFor("notFound")).toBe("checkFolder");
  });

  it("suggests trying again otherwise", () => {
    expect(recoveryFor("internal")).toBe("tryAgain");
    expect(recoveryFor("conflict")).toBe("tryAgain");
  });
});
