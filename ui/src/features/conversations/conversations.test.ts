import { emit } from "@tauri-apps/api/event";
import { fireEvent, render, screen, waitFor, within } from "@testing-library/svelte";
import { describe, expect, it } from "vitest";
import App from "../../App.svelte";
import type { MessageInfo, MessagingChanged } from "../../api";
import {
  fakeMessaging,
  sampleAccount,
  sampleChange,
  sampleMessage,
  sampleRoom,
  stored,
} from "../../test/messaging";
import { argsOf, ipcError, mockShell, type FakeShell } from "../../test/shell";
import { isUserId, roomLabel } from "./format";

const ada = "@ada:school.example.org";
const ben = "@ben:school.example.org";
const chloe = "@chloe:uni.example.net";

const staffRoom = "!staff:school.example.org";
const directRoom = "!direct-ben:school.example.org";

/** Ada at school, with a direct conversation with Ben and the staff room; Ada at university. */
function twoAccounts(staffMessages: MessageInfo[] = []) {
  return fakeMessaging({
    accounts: [sampleAccount(ada), sampleAccount(chloe, { connection: "offline" })],
    rooms: {
      [ada]: [
        stored(directRoom, [], { directWith: ben }),
        stored(staffRoom, staffMessages, { name: "Staff room", encrypted: false }),
      ],
      [chloe]: [stored("!seminar:uni.example.net", [], { name: "Seminar" })],
    },
  });
}

async function openConversations(shell: FakeShell, events = false): Promise<string[]> {
  const calls = mockShell(shell, { events });
  render(App);
  await fireEvent.click(await screen.findByTestId("nav-conversations"));
  return calls;
}

async function openRoom(roomId: string) {
  const row = await waitFor(() => {
    const found = screen
      .getAllByTestId("room-row")
      .find((candidate) => candidate.dataset["roomId"] === roomId);
    expect(found).toBeTruthy();
    return found!;
  });
  await fireEvent.click(row);
}

const messages = () => screen.queryAllByTestId("message");
const messageIds = () => messages().map((message) => message.dataset["eventId"]);
const accountChoice = (userId: string) =>
  screen.getAllByTestId("account-choice").find((choice) => choice.dataset["userId"] === userId);

describe("the helpers", () => {
  it("names a conversation by the other person, its name, or its id", () => {
    expect(roomLabel(sampleRoom("!a:x", { directWith: ben, name: "Ignored" }))).toBe(ben);
    expect(roomLabel(sampleRoom("!a:x", { name: "Staff room" }))).toBe("Staff room");
    expect(roomLabel(sampleRoom("!a:x"))).toBe("!a:x");
  });

  it("knows a Matrix user id when it sees one", () => {
    expect(isUserId("@ben:school.example.org")).toBe(true);
    expect(isUserId("@ben:localhost:8448")).toBe(true);
    expect(isUserId("ben")).toBe(false);
    expect(isUserId("@ben")).toBe(false);
    expect(isUserId("@ben smith:school.example.org")).toBe(false);
  });
});

describe("the lock screen", () => {
  it("sets up a passphrase, refusing two that do not match", async () => {
    const { shell } = fakeMessaging({ lock: "notSetUp" });
    await openConversations(shell);
    const lock = await screen.findByTestId("messaging-lock");
    expect(lock.textContent).toContain("Your messages are end-to-end encrypted.");

    await fireEvent.input(screen.getByTestId("messaging-passphrase"), {
      target: { value: "our staff room" },
    });
    await fireEvent.input(screen.getByTestId("messaging-passphrase-confirm"), {
      target: { value: "our staff rooom" },
    });
    await fireEvent.click(screen.getByTestId("messaging-unlock"));
    expect(screen.getByRole("alert").textContent).toContain("don’t match");
    expect(argsOf("messaging_unlock_keys")).toHaveLength(0);

    await fireEvent.input(screen.getByTestId("messaging-passphrase-confirm"), {
      target: { value: "our staff room" },
    });
    await fireEvent.click(screen.getByTestId("messaging-unlock"));
    expect(await screen.findByTestId("conversations-empty-state")).toBeTruthy();
    expect(argsOf("messaging_unlock_keys")).toEqual([
      { request: { passphrase: "our staff room", remember: false } },
    ]);
    expect(screen.queryByTestId("messaging-lock")).toBeNull();
    expect(screen.queryByTestId("messaging-remember")).toBeNull();
  });

  it("offers to remember the key where the system has a keyring, and sends the choice", async () => {
    const { shell } = fakeMessaging({
      lock: "locked",
      passphrase: "our staff room",
      keyring: "available",
    });
    await openConversations(shell);
    const remember = (await screen.findByTestId("messaging-remember")) as HTMLInputElement;
    expect(remember.checked).toBe(true);
    await fireEvent.click(remember);
    await fireEvent.input(screen.getByTestId("messaging-passphrase"), {
      target: { value: "our staff room" },
    });
    await fireEvent.click(screen.getByTestId("messaging-unlock"));
    expect(await screen.findByTestId("conversations-empty-state")).toBeTruthy();
    expect(argsOf("messaging_unlock_keys")).toEqual([
      { request: { passphrase: "our staff room", remember: false } },
    ]);
  });

  it("asks once for the passphrase when locked, and says when it is wrong", async () => {
    const { shell } = fakeMessaging({
      lock: "locked",
      passphrase: "correct horse",
      accounts: [sampleAccount(ada)],
      rooms: { [ada]: [] },
    });
    await openConversations(shell);
    await screen.findByTestId("messaging-lock");
    expect(screen.queryByTestId("messaging-passphrase-confirm")).toBeNull();

    const field = screen.getByTestId("messaging-passphrase") as HTMLInputElement;
    await fireEvent.input(field, { target: { value: "wrong horse" } });
    await fireEvent.click(screen.getByTestId("messaging-unlock"));
    expect((await screen.findByRole("alert")).textContent).toContain(
      "That passphrase isn’t right.",
    );
    expect(field.value).toBe("");

    await fireEvent.input(field, { target: { value: "correct horse" } });
    await fireEvent.click(screen.getByTestId("messaging-unlock"));
    await waitFor(() => expect(accountChoice(ada)).toBeTruthy());
    expect(argsOf("messaging_unlock_keys").map(({ request }) => request.passphrase)).toEqual([
      "wrong horse",
      "correct horse",
    ]);
  });
});

describe("accounts", () => {
  it("explains how to start, then adds an account with what was typed and uses it", async () => {
    const { shell } = fakeMessaging();
    await openConversations(shell);
    const empty = await screen.findByTestId("conversations-empty-state");
    expect(empty.textContent).toContain("institution’s messaging server");

    await fireEvent.click(within(empty).getByTestId("account-add"));
    // Nothing is sent before every field is filled in.
    await fireEvent.click(screen.getByTestId("account-submit"));
    expect(screen.getByTestId("account-error").textContent).toContain("address of your server");
    expect(argsOf("messaging_add_account")).toHaveLength(0);

    const homeserver = screen.getByTestId("account-homeserver") as HTMLInputElement;
    expect(homeserver.placeholder).toBe("matrix.example.org");
    await fireEvent.input(homeserver, { target: { value: " school.example.org " } });
    await fireEvent.input(screen.getByTestId("account-user"), { target: { value: "ada" } });
    const password = screen.getByTestId("account-password") as HTMLInputElement;
    expect(password.type).toBe("password");
    await fireEvent.input(password, { target: { value: "s3cret pass" } });
    await fireEvent.click(screen.getByTestId("account-submit"));

    await waitFor(() => expect(accountChoice(ada)).toBeTruthy());
    expect(argsOf("messaging_add_account")).toEqual([
      { request: { homeserver: "school.example.org", user: "ada", password: "s3cret pass" } },
    ]);
    expect(accountChoice(ada)!.getAttribute("aria-pressed")).toBe("true");
    const connection = screen.getByTestId("account-connection");
    expect(connection.dataset["connection"]).toBe("connecting");
    expect(argsOf("messaging_list_rooms")).toEqual([{ request: { userId: ada } }]);
    expect(screen.queryByTestId("conversations-empty-state")).toBeNull();
  });

  it("says which part of signing in failed", async () => {
    const { shell } = fakeMessaging();
    await openConversations(shell, false);
    mockShell({
      ...shell,
      messaging_add_account: ipcError("forbidden", "M_FORBIDDEN: Invalid username or password"),
    });
    await fireEvent.click(await screen.findByTestId("account-add"));
    await fireEvent.input(screen.getByTestId("account-homeserver"), {
      target: { value: "school.example.org" },
    });
    await fireEvent.input(screen.getByTestId("account-user"), { target: { value: "ada" } });
    await fireEvent.input(screen.getByTestId("account-password"), { target: { value: "nope" } });
    await fireEvent.click(screen.getByTestId("account-submit"));

    const error = await screen.findByTestId("account-error");
    expect(error.textContent).toContain("Check your user name and password.");
    expect(error.textContent).toContain("Invalid username or password");
    expect(screen.getByTestId("account-password").getAttribute("aria-invalid")).toBe("true");
    expect(screen.queryAllByTestId("account-choice")).toHaveLength(0);
  });

  it("switches identity in one click and shows each one's conversations", async () => {
    const { shell } = twoAccounts();
    await openConversations(shell);
    await openRoom(directRoom);
    expect(screen.getAllByTestId("room-row")).toHaveLength(2);

    await fireEvent.click(accountChoice(chloe)!);
    await waitFor(() =>
      expect(screen.getAllByTestId("room-row").map((row) => row.dataset["roomId"])).toEqual([
        "!seminar:uni.example.net",
      ]),
    );
    expect(screen.getByTestId("room-row").textContent).toContain("Seminar");
    expect(accountChoice(chloe)!.getAttribute("aria-pressed")).toBe("true");
    expect(accountChoice(ada)!.getAttribute("aria-pressed")).toBe("false");
    expect(screen.getByTestId("account-connection").dataset["connection"]).toBe("offline");
    // The other identity's conversation does not stay open.
    expect(messages()).toHaveLength(0);
    expect(argsOf("messaging_list_rooms").at(-1)).toEqual({ request: { userId: chloe } });
  });

  it("signs out only after a question that says what leaves this computer", async () => {
    const { shell } = twoAccounts();
    await openConversations(shell);
    await waitFor(() => expect(accountChoice(ada)).toBeTruthy());

    await fireEvent.click(screen.getByTestId("account-remove"));
    const dialog = screen.getByRole("alertdialog");
    expect(dialog.textContent).toContain("removed from this computer");
    expect(argsOf("messaging_remove_account")).toHaveLength(0);

    await fireEvent.click(within(dialog).getByTestId("account-remove-confirm"));
    await waitFor(() => expect(accountChoice(ada)).toBeUndefined());
    expect(argsOf("messaging_remove_account")).toEqual([{ request: { userId: ada } }]);
    expect(accountChoice(chloe)!.getAttribute("aria-pressed")).toBe("true");
  });
});

describe("conversations", () => {
  it("lists a room's latest messages, oldest first, when it is chosen", async () => {
    const { shell } = twoAccounts([
      sampleMessage("$1", ben, "Shall we meet on Monday?", { encrypted: false }, 1),
      sampleMessage("$2", ada, "Yes, after the second period.", { encrypted: false }, 2),
    ]);
    await openConversations(shell);
    await openRoom(staffRoom);

    await waitFor(() => expect(messageIds()).toEqual(["$1", "$2"]));
    expect(argsOf("messaging_list_messages")).toEqual([
      { request: { userId: ada, roomId: staffRoom, limit: 100 } },
    ]);
    const [first, second] = messages();
    expect(within(first!).getByTestId("message-sender").textContent).toBe(ben);
    expect(within(first!).getByTestId("message-body").textContent).toBe("Shall we meet on Monday?");
    expect(first!.dataset["encrypted"]).toBe("false");
    expect(first!.dataset["kind"]).toBe("text");
    expect(first!.classList.contains("own")).toBe(false);
    expect(second!.classList.contains("own")).toBe(true);

    const encryption = screen.getByTestId("conversation-encryption");
    expect(encryption.dataset["encrypted"]).toBe("false");
    expect(encryption.textContent).toContain("Not encrypted");
    const row = screen.getAllByTestId("room-row").find((r) => r.dataset["roomId"] === staffRoom);
    expect(row!.getAttribute("aria-current")).toBe("true");
  });

  it("shows sanitised HTML as formatting and plain text only ever as text", async () => {
    const fake = twoAccounts();
    fake.room(ada, directRoom).messages.push(
      sampleMessage(
        "$html",
        ben,
        "Hello colleague",
        {
          html: '<p>Hello <strong>colleague</strong>, see <a href="https://example.org/plan" rel="noopener noreferrer">the plan</a></p>',
        },
        1,
      ),
      sampleMessage("$plain", ben, "<b>x</b>\nsecond line", {}, 2),
    );
    await openConversations(fake.shell);
    await openRoom(directRoom);
    await waitFor(() => expect(messageIds()).toEqual(["$html", "$plain"]));

    const [html, plain] = messages().map((message) => within(message).getByTestId("message-body"));
    expect(html!.querySelector("strong")?.textContent).toBe("colleague");
    expect(plain!.textContent).toBe("<b>x</b>\nsecond line");
    expect(plain!.querySelector("b")).toBeNull();

    // A link in a message never takes the window elsewhere; it asks, showing the address.
    const link = html!.querySelector("a")!;
    const followed = await fireEvent.click(link);
    expect(followed).toBe(false);
    const question = await screen.findByRole("alertdialog");
    expect(question.textContent).toContain("https://example.org/plan");
    expect(screen.queryByTestId("notice")).toBeNull();
  });

  it("says why a message could not be decrypted, and names files", async () => {
    const fake = twoAccounts();
    fake.room(ada, directRoom).messages.push(
      sampleMessage(
        "$lost",
        ben,
        "",
        {
          kind: "undecryptable",
          body: null,
          undecryptableReason: "The sender's device has not shared the keys with this one.",
        },
        1,
      ),
      sampleMessage("$file", ben, "year9-plan.pdf", { kind: "file" }, 2),
    );
    await openConversations(fake.shell);
    await openRoom(directRoom);
    await waitFor(() => expect(messageIds()).toEqual(["$lost", "$file"]));

    const [lost, file] = messages();
    expect(lost!.dataset["kind"]).toBe("undecryptable");
    const explained = within(lost!).getByTestId("message-undecryptable");
    expect(explained.textContent).toContain("This message could not be decrypted");
    expect(explained.textContent).toContain("has not shared the keys");
    expect(within(file!).getByTestId("message-body").textContent).toBe("year9-plan.pdf");
    expect(file!.textContent).toContain("File");
  });

  it("accepts an invitation and opens the conversation", async () => {
    const fake = twoAccounts();
    fake.state.rooms
      .get(ada)!
      .push(
        stored("!invited:school.example.org", [], { name: "Year 9 team", membership: "invited" }),
      );
    await openConversations(fake.shell);
    const invite = await screen.findByTestId("room-invite");
    expect(invite.textContent).toContain("Year 9 team");

    await fireEvent.click(within(invite).getByTestId("room-accept"));
    await waitFor(() => expect(screen.queryByTestId("room-invite")).toBeNull());
    expect(argsOf("messaging_join_room")).toEqual([
      { request: { userId: ada, roomId: "!invited:school.example.org" } },
    ]);
    expect(argsOf("messaging_list_messages").at(-1)).toEqual({
      request: { userId: ada, roomId: "!invited:school.example.org", limit: 100 },
    });
    expect(screen.getByRole("heading", { name: "Year 9 team" })).toBeTruthy();
  });

  it("starts a direct conversation with a colleague's address and opens it", async () => {
    const { shell } = twoAccounts();
    await openConversations(shell);
    await fireEvent.click(await screen.findByTestId("conversation-new"));
    const field = screen.getByTestId("conversation-with") as HTMLInputElement;
    expect(document.activeElement).toBe(field);
    expect(field.placeholder).toBe("@name:server");

    await fireEvent.input(field, { target: { value: "dana" } });
    await fireEvent.click(screen.getByTestId("conversation-start"));
    expect(screen.getByTestId("conversation-error").textContent).toContain("@name:server");
    expect(argsOf("messaging_open_direct")).toHaveLength(0);

    await fireEvent.input(field, { target: { value: "@dana:school.example.org" } });
    await fireEvent.click(screen.getByTestId("conversation-start"));
    await waitFor(() => expect(screen.queryByTestId("conversation-dialog")).toBeNull());
    expect(argsOf("messaging_open_direct")).toEqual([
      { request: { userId: ada, with: "@dana:school.example.org" } },
    ]);
    expect(screen.getByRole("heading", { name: "@dana:school.example.org" })).toBeTruthy();
    expect(screen.getByTestId("conversation-encryption").dataset["encrypted"]).toBe("true");
    expect(screen.getByTestId("conversation-encryption").textContent).toContain(
      "End-to-end encrypted",
    );
  });
});

describe("the composer", () => {
  it("sends with the button, clears itself and shows the message", async () => {
    const { shell } = twoAccounts();
    await openConversations(shell);
    await openRoom(directRoom);
    const composer = (await screen.findByTestId("composer")) as HTMLTextAreaElement;
    const send = screen.getByTestId("composer-send") as HTMLButtonElement;
    expect(send.disabled).toBe(true);

    await fireEvent.input(composer, { target: { value: "Here is **the plan**" } });
    expect(send.disabled).toBe(false);
    await fireEvent.click(send);

    await waitFor(() => expect(messages()).toHaveLength(1));
    expect(argsOf("messaging_send_text")).toEqual([
      { request: { userId: ada, roomId: directRoom, text: "Here is **the plan**" } },
    ]);
    expect(composer.value).toBe("");
    expect(messages()[0]!.classList.contains("own")).toBe(true);
    expect(screen.queryByTestId("notice")).toBeNull();
  });

  it("sends on Enter, keeps Shift+Enter for a new line, and says when a message waits", async () => {
    const fake = twoAccounts();
    fake.state.sendStatus = "queued";
    await openConversations(fake.shell);
    await openRoom(directRoom);
    const composer = (await screen.findByTestId("composer")) as HTMLTextAreaElement;

    await fireEvent.input(composer, { target: { value: "First line" } });
    await fireEvent.keyDown(composer, { key: "Enter", shiftKey: true });
    expect(argsOf("messaging_send_text")).toHaveLength(0);

    await fireEvent.keyDown(composer, { key: "Enter" });
    await waitFor(() => expect(argsOf("messaging_send_text")).toHaveLength(1));
    expect((await screen.findByTestId("notice")).textContent).toContain(
      "Will be sent when the server is reachable.",
    );
    await waitFor(() => expect(composer.value).toBe(""));
  });

  it("keeps the text and says why when sending fails", async () => {
    const fake = twoAccounts();
    await openConversations(fake.shell);
    await openRoom(directRoom);
    mockShell({
      ...fake.shell,
      messaging_send_text: ipcError("notFound", "the room is gone"),
    });
    const composer = (await screen.findByTestId("composer")) as HTMLTextAreaElement;
    await fireEvent.input(composer, { target: { value: "Hello?" } });
    await fireEvent.click(screen.getByTestId("composer-send"));

    expect((await screen.findByTestId("composer-error")).textContent).toContain("the room is gone");
    expect(composer.value).toBe("Hello?");
  });
});

describe("live updates", () => {
  const change = (extra: Partial<MessagingChanged>): MessagingChanged => sampleChange(ada, extra);

  it("reloads the open conversation's messages when the shell says it has news", async () => {
    const fake = twoAccounts();
    await openConversations(fake.shell, true);
    await openRoom(directRoom);
    await screen.findByTestId("messages-empty");

    fake.room(ada, directRoom).messages.push(sampleMessage("$news", ben, "Are you there?"));
    await waitFor(async () => {
      await emit("messaging-changed", change({ rooms: [directRoom] }));
      expect(messageIds()).toEqual(["$news"]);
    });
    expect(within(messages()[0]!).getByTestId("message-body").textContent).toBe("Are you there?");
  });

  it("leaves the messages alone for news elsewhere, but lists new conversations", async () => {
    const fake = twoAccounts();
    await openConversations(fake.shell, true);
    await openRoom(directRoom);
    await screen.findByTestId("messages-empty");
    const loads = argsOf("messaging_list_messages").length;

    fake.room(ada, directRoom).messages.push(sampleMessage("$unseen", ben, "Not yet"));
    fake.state.rooms.get(ada)!.push(stored("!new:school.example.org", [], { name: "Trips" }));
    await waitFor(async () => {
      await emit("messaging-changed", change({ rooms: [staffRoom] }));
      expect(screen.getAllByTestId("room-row")).toHaveLength(3);
    });
    expect(argsOf("messaging_list_messages")).toHaveLength(loads);
    expect(messages()).toHaveLength(0);
  });

  it("shows the account's connection as the shell reports it", async () => {
    const { shell } = twoAccounts();
    await openConversations(shell, true);
    await waitFor(() =>
      expect(screen.getByTestId("account-connection").dataset["connection"]).toBe("online"),
    );

    await waitFor(async () => {
      await emit(
        "messaging-changed",
        change({ connection: "offline", problem: "school.example.org could not be reached" }),
      );
      expect(screen.getByTestId("account-connection").dataset["connection"]).toBe("offline");
    });
    const connection = screen.getByTestId("account-connection");
    expect(connection.textContent).toContain("Offline");
    expect(connection.textContent).toContain("school.example.org could not be reached");
    expect(accountChoice(ada)!.textContent).toContain("Offline");
  });
});
