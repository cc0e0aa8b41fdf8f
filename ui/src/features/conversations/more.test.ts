import { emit } from "@tauri-apps/api/event";
import { fireEvent, render, screen, waitFor, within } from "@testing-library/svelte";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import App from "../../App.svelte";
import type { MessageInfo, MessagingChanged, ResourceCard } from "../../api";
import { notices } from "../../components/notices.svelte";
import {
  fakeMessaging,
  sampleAccount,
  sampleChange,
  sampleDevice,
  sampleMessage,
  stored,
} from "../../test/messaging";
import { argsOf, ipcError, mockShell, type FakeShell } from "../../test/shell";
import { navigation } from "../../shell/navigation.svelte";
import { libraryRequests } from "../library/requests.svelte";
import { highlightMatches } from "./format";
import MessageItem from "./MessageItem.svelte";

const ada = "@ada:school.example.org";
const ben = "@ben:school.example.org";
const dana = "@dana:school.example.org";

const directRoom = "!direct-ben:school.example.org";
const teamRoom = "!team:school.example.org";
const staffRoom = "!staff:school.example.org";

/**
 * Ada at school: a direct conversation with Ben (who has a new phone), the encrypted Year 9 team
 * (a group) and the staff room, which is not encrypted. Ada mutes the staff room but for mentions.
 */
function school(
  options: { direct?: MessageInfo[]; older?: MessageInfo[]; doNotDisturb?: boolean } = {},
) {
  return fakeMessaging({
    accounts: [sampleAccount(ada)],
    doNotDisturb: options.doNotDisturb ?? false,
    levels: { [ada]: { [staffRoom]: "mentions" } },
    rooms: {
      [ada]: [
        stored(directRoom, options.direct ?? [], {
          directWith: ben,
          older: options.older ?? [],
          readers: [
            {
              userId: ben,
              membership: "joined",
              devices: [
                sampleDevice("BENLAPTOP", { displayName: "Ben’s laptop" }),
                sampleDevice("BENPHONE", {
                  displayName: "Ben’s phone",
                  fingerprint: "Q9xP 4mTz 81Kd",
                  isNew: true,
                }),
              ],
            },
            {
              userId: ada,
              membership: "joined",
              devices: [sampleDevice("ADAHOME", { displayName: "Home computer" })],
            },
          ],
        }),
        stored(
          teamRoom,
          [
            sampleMessage(
              "$plan",
              ben,
              "Photosynthesis worksheet for Monday",
              { roomId: teamRoom },
              5,
            ),
            sampleMessage("$trip", dana, "The museum trip is on Friday", { roomId: teamRoom }, 6),
          ],
          {
            name: "Year 9 team",
            readers: [{ userId: ben, membership: "joined", devices: [sampleDevice("BENLAPTOP")] }],
          },
        ),
        stored(staffRoom, [], { name: "Staff room", encrypted: false, readers: [] }),
      ],
    },
  });
}

async function openConversations(shell: FakeShell, events = false): Promise<void> {
  mockShell(shell, { events });
  render(App);
  await fireEvent.click(await screen.findByTestId("nav-conversations"));
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

const said = () => notices.map((notice) => notice.message);
const messageIds = () =>
  screen.queryAllByTestId("message").map((message) => message.dataset["eventId"]);
const roomIds = () => screen.queryAllByTestId("room-row").map((row) => row.dataset["roomId"]);
const readersButton = () => screen.getByTestId("conversation-readers");
const reader = (userId: string) =>
  screen.getAllByTestId("reader").find((found) => found.dataset["userId"] === userId);
const device = (deviceId: string) =>
  screen.getAllByTestId("reader-device").find((found) => found.dataset["deviceId"] === deviceId);

async function type(testId: string, value: string) {
  await fireEvent.input(screen.getByTestId(testId), { target: { value } });
}

describe("a new group", () => {
  it("is created with its name and the people added one by one, and opens", async () => {
    const { shell } = school();
    await openConversations(shell);
    await fireEvent.click(await screen.findByTestId("group-new"));
    const dialog = screen.getByTestId("group-dialog");
    expect(document.activeElement).toBe(screen.getByTestId("group-name"));
    expect(dialog.textContent).toContain("end-to-end encrypted");

    // Each address is checked as it is added.
    await type("group-invitee", "dana");
    await fireEvent.click(screen.getByTestId("group-invitee-add"));
    expect(within(dialog).getByRole("alert").textContent).toContain("@name:server");
    await type("group-invitee", ` ${ben} `);
    await fireEvent.click(screen.getByTestId("group-invitee-add"));
    await type("group-invitee", dana);
    await fireEvent.keyDown(screen.getByTestId("group-invitee"), { key: "Enter" });
    await type("group-invitee", ben);
    await fireEvent.click(screen.getByTestId("group-invitee-add"));
    expect(within(dialog).getByRole("alert").textContent).toContain(
      `${ben} is already on the list`,
    );
    await type("group-invitee", ada);
    await fireEvent.click(screen.getByTestId("group-invitee-add"));
    expect(within(dialog).getByRole("alert").textContent).toContain("your own address");

    const entries = () =>
      screen.getAllByTestId("group-invitee-entry").map((entry) => entry.dataset["userId"]);
    expect(entries()).toEqual([ben, dana]);
    expect(dialog.textContent).toContain("2 people will be invited");
    // Someone added by mistake can be taken off the list.
    await fireEvent.click(
      within(screen.getAllByTestId("group-invitee-entry")[1]!).getByTestId("group-invitee-remove"),
    );
    expect(entries()).toEqual([ben]);
    expect(document.activeElement).toBe(screen.getByTestId("group-invitee"));

    // A group needs a name; nothing is created without one.
    await type("group-invitee", "");
    await fireEvent.click(screen.getByTestId("group-create"));
    expect(within(dialog).getByRole("alert").textContent).toContain("Give the group a name.");
    expect(argsOf("messaging_create_group")).toHaveLength(0);

    await type("group-name", "  Science week  ");
    await fireEvent.click(screen.getByTestId("group-create"));
    await waitFor(() => expect(screen.queryByTestId("group-dialog")).toBeNull());
    expect(argsOf("messaging_create_group")).toEqual([
      { request: { userId: ada, name: "Science week", invite: [ben] } },
    ]);
    expect(screen.getByRole("heading", { name: "Science week" })).toBeTruthy();
    await waitFor(() => expect(roomIds()).toContain("!group-1:school.example.org"));
  });

  it("invites an address typed but not added yet, and says why creating failed", async () => {
    const fake = school();
    await openConversations(fake.shell);
    mockShell({
      ...fake.shell,
      messaging_create_group: ipcError("io", "school.example.org could not be reached"),
    });
    await fireEvent.click(await screen.findByTestId("group-new"));
    await type("group-name", "Trips");
    await type("group-invitee", dana);
    await fireEvent.click(screen.getByTestId("group-create"));

    const error = await screen.findByTestId("group-error");
    expect(error.textContent).toContain("school.example.org could not be reached");
    expect(argsOf("messaging_create_group")).toEqual([
      { request: { userId: ada, name: "Trips", invite: [dana] } },
    ]);
    expect(screen.getByTestId("group-dialog")).toBeTruthy();
  });
});

describe("people and devices", () => {
  it("lists who can read, flags a new device until it is known, and marks the header", async () => {
    const { shell } = school();
    await openConversations(shell);
    await openRoom(directRoom);
    await waitFor(() => expect(readersButton().dataset["newDevice"]).toBe("true"));
    expect(readersButton().textContent).toContain("A new device needs checking");
    expect(argsOf("messaging_list_readers")).toEqual([
      { request: { userId: ada, roomId: directRoom } },
    ]);

    await fireEvent.click(readersButton());
    const panel = await screen.findByTestId("readers-panel");
    expect(panel.textContent).toContain("Only the people below, on the devices listed, can read");
    expect(within(reader(ben)!).getByTestId("reader-membership").dataset["membership"]).toBe(
      "joined",
    );
    expect(reader(ben)!.textContent).toContain("In the conversation");
    // The account's own other devices are there, said as such.
    expect(reader(ada)!.textContent).toContain("You");
    expect(reader(ada)!.textContent).toContain("this computer is not");
    expect(within(reader(ada)!).getAllByTestId("reader-device")).toHaveLength(1);

    const phone = device("BENPHONE")!;
    expect(phone.dataset["new"]).toBe("true");
    expect(phone.textContent).toContain("Ben’s phone");
    const fingerprint = within(phone).getByTestId("reader-device-fingerprint");
    expect(fingerprint.textContent?.trim()).toBe("Q9xP 4mTz 81Kd");
    expect(fingerprint.classList.contains("mono")).toBe(true);
    expect(within(phone).getByTestId("reader-device-new").textContent).toContain(
      "New device — check with them it is theirs",
    );
    expect(device("BENLAPTOP")!.dataset["new"]).toBe("false");
    expect(within(device("BENLAPTOP")!).queryByTestId("reader-device-acknowledge")).toBeNull();

    await fireEvent.click(within(phone).getByTestId("reader-device-acknowledge"));
    await waitFor(() => expect(device("BENPHONE")!.dataset["new"]).toBe("false"));
    expect(argsOf("messaging_acknowledge_device")).toEqual([
      { request: { userId: ada, owner: ben, deviceId: "BENPHONE" } },
    ]);
    expect(screen.queryByTestId("reader-device-acknowledge")).toBeNull();
    // The button pressed is gone; focus stays with the device it was about.
    await waitFor(() => expect(document.activeElement).toBe(device("BENPHONE")));
    expect(readersButton().dataset["newDevice"]).toBe("false");
    // A direct conversation has no one else to invite.
    expect(screen.queryByTestId("readers-invite")).toBeNull();
  });

  it("says anyone on the server may read a conversation that isn't encrypted", async () => {
    const { shell } = school();
    await openConversations(shell);
    await openRoom(staffRoom);
    await fireEvent.click(await screen.findByTestId("conversation-readers"));
    const panel = await screen.findByTestId("readers-panel");
    await waitFor(() => expect(screen.getByTestId("readers-none")).toBeTruthy());
    expect(screen.getByTestId("readers-summary").dataset["encrypted"]).toBe("false");
    expect(panel.textContent).toContain("anyone on the server may be able to read it");
    expect(panel.textContent).not.toContain("Only the people below");
  });

  it("invites someone into a group, checking the address first", async () => {
    const { shell } = school();
    await openConversations(shell);
    await openRoom(teamRoom);
    await fireEvent.click(await screen.findByTestId("conversation-readers"));
    await waitFor(() => expect(reader(ben)).toBeTruthy());

    await type("readers-invite", "dana");
    await fireEvent.click(screen.getByTestId("readers-invite-send"));
    expect(screen.getByTestId("readers-invite-error").textContent).toContain("@name:server");
    expect(argsOf("messaging_invite_user")).toHaveLength(0);

    await type("readers-invite", dana);
    await fireEvent.click(screen.getByTestId("readers-invite-send"));
    await waitFor(() => expect(reader(dana)).toBeTruthy());
    expect(argsOf("messaging_invite_user")).toEqual([
      { request: { userId: ada, roomId: teamRoom, invitee: dana } },
    ]);
    expect(within(reader(dana)!).getByTestId("reader-membership").textContent).toContain("Invited");
    expect((screen.getByTestId("readers-invite") as HTMLInputElement).value).toBe("");
    expect(said()).toEqual([`Invited ${dana}.`]);
  });

  it("asks again who can read when the shell says the conversation has news", async () => {
    const fake = school();
    await openConversations(fake.shell, true);
    await openRoom(teamRoom);
    await waitFor(() => expect(argsOf("messaging_list_readers")).toHaveLength(1));
    expect(readersButton().dataset["newDevice"]).toBe("false");

    fake.room(ada, teamRoom).readers![0]!.devices.push(sampleDevice("BENTABLET", { isNew: true }));
    const change: MessagingChanged = sampleChange(ada, { rooms: [teamRoom] });
    await waitFor(async () => {
      await emit("messaging-changed", change);
      expect(readersButton().dataset["newDevice"]).toBe("true");
    });
  });

  it("leaves a conversation only after a question", async () => {
    const { shell } = school();
    await openConversations(shell);
    await openRoom(teamRoom);
    await fireEvent.click(await screen.findByTestId("conversation-leave"));
    const dialog = screen.getByRole("alertdialog");
    expect(dialog.textContent).toContain("Leave Year 9 team?");
    expect(argsOf("messaging_leave_room")).toHaveLength(0);

    await fireEvent.click(within(dialog).getByTestId("conversation-leave-confirm"));
    await waitFor(() => expect(roomIds()).not.toContain(teamRoom));
    expect(argsOf("messaging_leave_room")).toEqual([
      { request: { userId: ada, roomId: teamRoom } },
    ]);
    expect(screen.queryByRole("heading", { name: "Year 9 team" })).toBeNull();
    expect(screen.queryByRole("alertdialog")).toBeNull();
    expect(said()).toEqual(["You left Year 9 team."]);
  });
});

describe("older messages", () => {
  const latest = [sampleMessage("$4", ben, "four", {}, 4), sampleMessage("$5", ada, "five", {}, 5)];
  const older = [
    sampleMessage("$3", ben, "three", {}, 3),
    sampleMessage("$2", ada, "two", {}, 2),
    sampleMessage("$1", ben, "one", {}, 1),
  ];

  it("loads above those shown, keeps them in place, then says where it starts", async () => {
    const { shell } = school({ direct: latest, older });
    await openConversations(shell);
    await openRoom(directRoom);
    await waitFor(() => expect(messageIds()).toEqual(["$4", "$5"]));

    // A layout in which each message is 100 pixels tall, scrolled to the top.
    const log = screen.getByRole("log");
    Object.defineProperty(log, "scrollHeight", {
      configurable: true,
      get: () => screen.queryAllByTestId("message").length * 100,
    });
    log.scrollTop = 0;

    await fireEvent.click(screen.getByTestId("messages-load-older"));
    await waitFor(() => expect(messageIds()).toEqual(["$1", "$2", "$3", "$4", "$5"]));
    expect(argsOf("messaging_load_older")).toEqual([
      { request: { userId: ada, roomId: directRoom } },
    ]);
    expect(argsOf("messaging_list_messages").at(-1)).toEqual({
      request: { userId: ada, roomId: directRoom, limit: 103 },
    });
    // The two messages that were at the top are still there, not the newest at the bottom.
    await waitFor(() => expect(log.scrollTop).toBe(300));
    expect(screen.queryByTestId("messages-start")).toBeNull();

    await fireEvent.click(screen.getByTestId("messages-load-older"));
    const start = await screen.findByTestId("messages-start");
    expect(start.textContent).toContain("This is the start of the conversation.");
    expect(screen.queryByTestId("messages-load-older")).toBeNull();
    expect(argsOf("messaging_load_older")).toHaveLength(2);
    expect(document.activeElement).toBe(start);
  });

  it("keeps the larger list when news arrives, and says why loading failed", async () => {
    const fake = school({ direct: latest, older });
    await openConversations(fake.shell, true);
    await openRoom(directRoom);
    await fireEvent.click(await screen.findByTestId("messages-load-older"));
    await waitFor(() => expect(messageIds()).toHaveLength(5));

    fake.room(ada, directRoom).messages.push(sampleMessage("$6", ben, "six", {}, 6));
    await waitFor(async () => {
      await emit("messaging-changed", sampleChange(ada, { rooms: [directRoom] }));
      expect(messageIds()).toEqual(["$1", "$2", "$3", "$4", "$5", "$6"]);
    });

    mockShell(
      { ...fake.shell, messaging_load_older: ipcError("io", "the server is away") },
      { events: true },
    );
    await fireEvent.click(screen.getByTestId("messages-load-older"));
    const error = await screen.findByTestId("messages-older-error");
    expect(error.textContent).toContain("the server is away");
    expect(screen.queryByTestId("messages-start")).toBeNull();
  });
});

describe("searching messages", () => {
  it("highlights the beginnings of words, ignoring case and accents", () => {
    const marked = (text: string, query: string) =>
      highlightMatches(text, query)
        .filter((part) => part.matched)
        .map((part) => part.text);
    expect(marked("Photosynthesis worksheet, photo", "photo WORK")).toEqual([
      "Photo",
      "work",
      "photo",
    ]);
    expect(marked("Les élèves et l’Élève", "eleve")).toEqual(["élève", "Élève"]);
    expect(marked("autophotography", "photo")).toEqual([]);
    expect(highlightMatches("a <b>bold</b> plan", "bold plan")).toEqual([
      { text: "a <b>", matched: false },
      { text: "bold", matched: true },
      { text: "</b> ", matched: false },
      { text: "plan", matched: true },
    ]);
  });

  it("searches this computer once typing pauses, and opens the conversation chosen", async () => {
    const fake = school();
    fake
      .room(ada, staffRoom)
      .messages.push(
        sampleMessage(
          "$html",
          ada,
          "<img src=x onerror=alert(1)> photocopier is fixed",
          { roomId: staffRoom },
          7,
        ),
      );
    await openConversations(fake.shell);
    await waitFor(() => expect(roomIds()).toHaveLength(3));
    const field = screen.getByTestId("messages-search") as HTMLInputElement;
    expect(field.type).toBe("search");

    // One character searches nothing; the conversations stay.
    await type("messages-search", "p");
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(argsOf("messaging_search_messages")).toHaveLength(0);
    expect(roomIds()).toHaveLength(3);

    await type("messages-search", "ph");
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(argsOf("messaging_search_messages")).toHaveLength(0);
    await type("messages-search", "pho");
    await type("messages-search", "photo");
    expect(screen.getByText(/Only the messages on this computer are searched/)).toBeTruthy();
    await waitFor(() => expect(screen.getAllByTestId("search-result")).toHaveLength(2));
    // Only what was typed once the person paused is searched.
    expect(argsOf("messaging_search_messages")).toEqual([
      { request: { userId: ada, query: "photo", limit: 50 } },
    ]);
    expect(roomIds()).toHaveLength(0);
    expect(screen.getByTestId("search-status").textContent).toContain("2 messages found");

    const [plan, copier] = screen.getAllByTestId("search-result");
    expect([plan!.dataset["roomId"], plan!.dataset["eventId"]]).toEqual([teamRoom, "$plan"]);
    expect(plan!.textContent).toContain("Year 9 team");
    expect(plan!.textContent).toContain(ben);
    expect(plan!.querySelector("time")).toBeTruthy();
    expect([...plan!.querySelectorAll("mark")].map((mark) => mark.textContent)).toEqual(["Photo"]);
    expect(within(plan!).getByTestId("search-result-body").textContent).toBe(
      "Photosynthesis worksheet for Monday",
    );
    // Whatever a message says is shown as text, never as markup.
    expect(copier!.dataset["roomId"]).toBe(staffRoom);
    expect(copier!.querySelector("img")).toBeNull();
    expect(copier!.textContent).toContain("<img src=x onerror=alert(1)>");

    await fireEvent.click(plan!);
    expect(await screen.findByRole("heading", { name: "Year 9 team" })).toBeTruthy();
    await waitFor(() => expect(messageIds()).toEqual(["$plan", "$trip"]));

    // Escape clears the search, and the conversations come back.
    await fireEvent.keyDown(field, { key: "Escape" });
    expect(field.value).toBe("");
    expect(screen.queryAllByTestId("search-result")).toHaveLength(0);
    expect(roomIds()).toHaveLength(3);
  });

  it("says when nothing matches, and when the search fails", async () => {
    const fake = school();
    await openConversations(fake.shell);
    await screen.findByTestId("messages-search");
    await type("messages-search", "zebra");
    await waitFor(() =>
      expect(screen.getByTestId("search-status").textContent).toContain(
        "No messages match “zebra”.",
      ),
    );

    mockShell({ ...fake.shell, messaging_search_messages: ipcError("io", "the index is busy") });
    await type("messages-search", "zebras");
    expect((await screen.findByTestId("search-error")).textContent).toContain("the index is busy");
  });
});

describe("choosing a message found", () => {
  const latest = [sampleMessage("$4", ben, "four", {}, 4), sampleMessage("$5", ada, "five", {}, 5)];
  const older = [
    sampleMessage("$3", ben, "three", {}, 3),
    sampleMessage("$2", ada, "two", {}, 2),
    sampleMessage("$1", ben, "one photo", {}, 1),
  ];
  // jsdom lays nothing out, so it has no scrollIntoView; the window's is watched instead.
  let scrolled: ReturnType<typeof vi.fn<(options?: ScrollIntoViewOptions) => void>>;
  beforeEach(() => {
    scrolled = vi.fn();
    Element.prototype.scrollIntoView = scrolled;
  });
  afterEach(() => {
    delete (Element.prototype as Partial<Element>).scrollIntoView;
  });

  const message = (eventId: string) =>
    screen.getAllByTestId("message").find((found) => found.dataset["eventId"] === eventId);

  /** Searches for `query` and chooses the result for `eventId`. */
  async function choose(query: string, eventId: string) {
    await type("messages-search", query);
    const result = await waitFor(() => {
      const found = screen
        .getAllByTestId("search-result")
        .find((candidate) => candidate.dataset["eventId"] === eventId);
      expect(found).toBeTruthy();
      return found!;
    });
    await fireEvent.click(result);
  }

  /** Search answers only `found`, as if this computer kept it from before the messages shown. */
  function searchFinds(shell: FakeShell, found: MessageInfo[]): FakeShell {
    return { ...shell, messaging_search_messages: { ok: found } };
  }

  it("scrolls to a message already shown, highlights it a moment and focuses it", async () => {
    const { shell } = school();
    await openConversations(shell);
    await waitFor(() => expect(roomIds()).toHaveLength(3));
    await choose("photo", "$plan");

    expect(await screen.findByRole("heading", { name: "Year 9 team" })).toBeTruthy();
    await waitFor(() => expect(document.activeElement).toBe(message("$plan")));
    const plan = message("$plan")!;
    expect(scrolled.mock.contexts).toEqual([plan]);
    expect(scrolled).toHaveBeenCalledWith({ block: "center" });
    expect(plan.classList.contains("highlighted")).toBe(true);
    // Only the message revealed takes focus, and only from code.
    expect(plan.getAttribute("tabindex")).toBe("-1");
    expect(message("$trip")!.hasAttribute("tabindex")).toBe(false);
    expect(argsOf("messaging_load_older")).toHaveLength(0);

    // The highlight fades after two seconds; focus stays.
    await waitFor(() => expect(plan.classList.contains("highlighted")).toBe(false), {
      timeout: 3000,
    });
    expect(document.activeElement).toBe(plan);
  });

  it("loads older messages until the one chosen is there, then reveals it", async () => {
    const { shell } = school({ direct: latest, older });
    await openConversations(
      searchFinds(shell, [sampleMessage("$1", ben, "one photo", { roomId: directRoom }, 1)]),
    );
    await waitFor(() => expect(roomIds()).toHaveLength(3));
    await choose("photo", "$1");

    await waitFor(() => expect(document.activeElement).toBe(message("$1")));
    expect(messageIds()).toEqual(["$1", "$2", "$3", "$4", "$5"]);
    expect(argsOf("messaging_load_older")).toEqual([
      { request: { userId: ada, roomId: directRoom } },
    ]);
    expect(scrolled.mock.contexts).toEqual([message("$1")]);
    expect(message("$1")!.classList.contains("highlighted")).toBe(true);
    expect(said()).toEqual([]);
  });

  it("says so when the message is further back than a few pages", async () => {
    const fake = school({ direct: latest });
    // The server always has 50 more, none of them the message chosen.
    let page = 0;
    const endless: FakeShell = {
      messaging_load_older: {
        handle: ({ request }) => {
          page += 1;
          fake
            .room(request.userId, request.roomId)
            .messages.unshift(
              ...Array.from({ length: 50 }, (_, index) =>
                sampleMessage(`$old-${page}-${index}`, ben, "older", {}, 0),
              ),
            );
          return 50;
        },
      },
    };
    await openConversations(
      searchFinds({ ...fake.shell, ...endless }, [
        sampleMessage("$gone", ben, "a photo long ago", { roomId: directRoom }, 0),
      ]),
    );
    await waitFor(() => expect(roomIds()).toHaveLength(3));
    await choose("photo", "$gone");

    await waitFor(() =>
      expect(said()).toEqual(["That message is further back than this computer has."]),
    );
    expect(argsOf("messaging_load_older")).toHaveLength(5);
    expect(messageIds()).toHaveLength(252);
    expect(scrolled).not.toHaveBeenCalled();
    expect(screen.getAllByTestId("message").some((found) => found.hasAttribute("tabindex"))).toBe(
      false,
    );
    // The conversation stays open, and older messages can still be asked for.
    expect(screen.getByTestId("messages-load-older")).toBeTruthy();
  });
});

describe("notifications", () => {
  it("shows and saves each conversation's level", async () => {
    const { shell, state } = school();
    await openConversations(shell);
    await openRoom(staffRoom);
    const select = (await screen.findByTestId("conversation-notifications")) as HTMLSelectElement;
    await waitFor(() => expect(select.disabled).toBe(false));
    expect(select.value).toBe("mentions");
    expect([...select.options].map((option) => option.text)).toEqual([
      "All messages",
      "Mentions only",
      "Off",
    ]);

    await fireEvent.change(select, { target: { value: "off" } });
    expect(argsOf("messaging_set_room_notifications")).toEqual([
      { request: { userId: ada, roomId: staffRoom, level: "off" } },
    ]);
    expect(state.levels.get(ada)?.get(staffRoom)).toBe("off");

    await openRoom(directRoom);
    await waitFor(() =>
      expect((screen.getByTestId("conversation-notifications") as HTMLSelectElement).value).toBe(
        "all",
      ),
    );
    await openRoom(staffRoom);
    await waitFor(() =>
      expect((screen.getByTestId("conversation-notifications") as HTMLSelectElement).value).toBe(
        "off",
      ),
    );
  });

  it("puts the level back and says why when it can't be saved", async () => {
    const fake = school();
    await openConversations(fake.shell);
    await openRoom(staffRoom);
    const select = (await screen.findByTestId("conversation-notifications")) as HTMLSelectElement;
    await waitFor(() => expect(select.value).toBe("mentions"));
    mockShell({
      ...fake.shell,
      messaging_set_room_notifications: ipcError("io", "the settings file is read-only"),
    });

    await fireEvent.change(select, { target: { value: "all" } });
    expect((await screen.findByTestId("conversation-problem")).textContent).toContain(
      "the settings file is read-only",
    );
    await waitFor(() => expect(select.value).toBe("mentions"));
  });

  it("turns do not disturb on and off from the accounts bar", async () => {
    const { shell, state } = school({ doNotDisturb: true });
    await openConversations(shell);
    const toggle = await screen.findByTestId("messaging-dnd");
    expect(toggle.getAttribute("role")).toBe("switch");
    expect(toggle.textContent).toContain("Do not disturb");
    await waitFor(() => expect(toggle.getAttribute("aria-checked")).toBe("true"));

    await fireEvent.click(toggle);
    await waitFor(() => expect(toggle.getAttribute("aria-checked")).toBe("false"));
    expect(argsOf("messaging_set_do_not_disturb")).toEqual([{ request: { enabled: false } }]);
    expect(state.doNotDisturb).toBe(false);

    await fireEvent.click(toggle);
    await waitFor(() => expect(toggle.getAttribute("aria-checked")).toBe("true"));
    expect(argsOf("messaging_set_do_not_disturb").at(-1)).toEqual({ request: { enabled: true } });
  });
});

describe("a resource the account shared itself", () => {
  const card: ResourceCard = {
    resourceId: "res-9",
    revisionId: "rev-9",
    title: "Leaves",
    description: "",
    creators: ["Ada Lovelace"],
    licence: "CC-BY-4.0",
    language: "en",
    attribution: "“Leaves” by Ada Lovelace, licensed under CC BY 4.0.",
    sources: [],
  };
  const shared = sampleMessage("$card", ada, "leaves.commonplace", {
    kind: "file",
    resource: card,
  });

  it("is not offered to save, but opens in the library", async () => {
    mockShell();
    render(MessageItem, { message: shared, userId: ada, own: true, roomEncrypted: true });
    const shown = screen.getByTestId("resource-card");
    expect(within(shown).queryByTestId("resource-card-save")).toBeNull();
    expect(within(shown).getByTestId("resource-card-own").textContent).toContain(
      "Shared from your library",
    );

    await fireEvent.click(within(shown).getByTestId("resource-card-open"));
    expect(navigation.section).toBe("library");
    expect(libraryRequests.open).toBe("res-9");
    expect(argsOf("messaging_save_resource")).toHaveLength(0);
  });

  it("is told apart from someone else's in the conversation", async () => {
    const { shell } = school({
      direct: [shared, { ...shared, eventId: "$theirs", sender: ben }],
    });
    await openConversations(shell);
    await openRoom(directRoom);
    await waitFor(() => expect(screen.getAllByTestId("resource-card")).toHaveLength(2));
    const [mine, theirs] = screen.getAllByTestId("message");
    expect(within(mine!).queryByTestId("resource-card-save")).toBeNull();
    expect(within(mine!).getByTestId("resource-card-own")).toBeTruthy();
    expect(within(theirs!).getByTestId("resource-card-save")).toBeTruthy();
    expect(within(theirs!).queryByTestId("resource-card-own")).toBeNull();
  });
});
