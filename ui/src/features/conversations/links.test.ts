import { fireEvent, render, screen, waitFor, within } from "@testing-library/svelte";
import { describe, expect, it } from "vitest";
import App from "../../App.svelte";
import { notices } from "../../components/notices.svelte";
import { fakeMessaging, sampleAccount, sampleMessage, stored } from "../../test/messaging";
import { argsOf, ipcError, mockShell, type FakeShell } from "../../test/shell";

const ada = "@ada:school.example.org";
const ben = "@ben:school.example.org";
const directRoom = "!direct-ben:school.example.org";

/**
 * The window, in Ada's conversation with Ben, whose one message is `html` (as Rust sanitised it);
 * `app_open_link` answers as `openLink` says.
 */
async function showLinks(html: string, openLink: FakeShell["app_open_link"] = { ok: null }) {
  const { shell } = fakeMessaging({
    accounts: [sampleAccount(ada)],
    rooms: {
      [ada]: [
        stored(directRoom, [sampleMessage("$links", ben, "see the links", { html })], {
          directWith: ben,
        }),
      ],
    },
  });
  const calls = mockShell({ ...shell, app_open_link: openLink });
  render(App);
  await fireEvent.click(await screen.findByTestId("nav-conversations"));
  await fireEvent.click(await screen.findByTestId("room-row"));
  const body = await screen.findByTestId("message-body");
  return { calls, body, links: [...body.querySelectorAll("a")] };
}

const question = () => screen.queryByRole("alertdialog");
const confirmButton = () => screen.getByTestId("link-open");
const said = () => notices.map((notice) => notice.message);

const plan = '<a href="https://example.org/plan" rel="noopener noreferrer">the plan</a>';
const bare =
  '<a href="https://example.org/plan" rel="noopener noreferrer">https://example.org/plan</a>';

describe("a link in a message", () => {
  it("asks before opening, showing the address, and never navigates the window", async () => {
    const { calls, links } = await showLinks(`<p>See ${bare}</p>`);

    const followed = await fireEvent.click(links[0]!);
    expect(followed).toBe(false);
    const dialog = await screen.findByRole("alertdialog");
    expect(within(dialog).getByRole("heading").textContent).toBe("Open this link?");
    expect(dialog.textContent).toContain("This link goes to https://example.org/plan");
    expect(dialog.textContent).not.toContain("says");
    expect(confirmButton().textContent?.trim()).toBe("Open in browser");
    // Focus starts on the safe choice.
    expect(document.activeElement?.textContent?.trim()).toBe("Cancel");
    // Asking opens nothing, and says nothing else.
    expect(calls).not.toContain("app_open_link");
    expect(said()).toEqual([]);
  });

  it("opens the address in the system's browser once confirmed", async () => {
    const { links } = await showLinks(`<p>See ${plan}</p>`);
    await fireEvent.click(links[0]!);
    await fireEvent.click(confirmButton());

    await waitFor(() => expect(question()).toBeNull());
    expect(argsOf("app_open_link")).toEqual([{ request: { url: "https://example.org/plan" } }]);
    expect(said()).toEqual([]);
  });

  it("opens nothing when the person cancels, with the button or Escape", async () => {
    const { calls, links } = await showLinks(`<p>See ${plan}</p>`);
    await fireEvent.click(links[0]!);
    await fireEvent.click(within(question()!).getByRole("button", { name: "Cancel" }));
    expect(question()).toBeNull();

    await fireEvent.click(links[0]!);
    await fireEvent.keyDown(question()!, { key: "Escape" });
    expect(question()).toBeNull();

    expect(calls).not.toContain("app_open_link");
    expect(said()).toEqual([]);
  });

  it("says so when what a link shows is not where it goes", async () => {
    const { links } = await showLinks(
      '<p><a href="https://bank.example.net/login" rel="noopener noreferrer">https://bank.example.org</a></p>',
    );
    await fireEvent.click(links[0]!);
    const body = question()!.querySelector("p")!;
    expect(body.textContent).toBe(
      "The link says “https://bank.example.org” but goes to https://bank.example.net/login",
    );

    await fireEvent.click(confirmButton());
    expect(argsOf("app_open_link")).toEqual([
      { request: { url: "https://bank.example.net/login" } },
    ]);
  });

  it("shows and opens the address exactly as the message gives it", async () => {
    // A browser would tidy this address (`link.href`); the person sees, and the shell receives,
    // the one in the message.
    const address = "HTTPS://Example.org/a/../%7Eada?x=1&y=<2>#top";
    const { links } = await showLinks(
      `<p><a href="HTTPS://Example.org/a/../%7Eada?x=1&amp;y=&lt;2&gt;#top">notes</a></p>`,
    );
    await fireEvent.click(links[0]!);
    expect(question()!.querySelector("p")!.textContent).toBe(
      `The link says “notes” but goes to ${address}`,
    );
    await fireEvent.click(confirmButton());
    expect(argsOf("app_open_link")).toEqual([{ request: { url: address } }]);
  });

  it("offers the mail program for a mail address", async () => {
    const { links } = await showLinks(
      '<p>Write to <a href="mailto:ben@school.example.org">ben@school.example.org</a></p>',
    );
    await fireEvent.click(links[0]!);
    expect(confirmButton().textContent?.trim()).toBe("Open in mail program");
    // The address it shows is where it goes.
    expect(question()!.querySelector("p")!.textContent).toBe(
      "This link goes to mailto:ben@school.example.org",
    );
    await fireEvent.click(confirmButton());
    expect(argsOf("app_open_link")).toEqual([
      { request: { url: "mailto:ben@school.example.org" } },
    ]);
  });

  it("says when the address could not be opened", async () => {
    const { links } = await showLinks(
      `<p>See ${plan}</p>`,
      ipcError("io", "https://example.org/plan could not be opened: no browser"),
    );
    await fireEvent.click(links[0]!);
    await fireEvent.click(confirmButton());

    await waitFor(() =>
      expect(said()).toEqual([
        "The link couldn’t be opened: https://example.org/plan could not be opened: no browser",
      ]),
    );
    expect(question()).toBeNull();
  });

  it("asks on a middle click or Enter too, but not on a right click", async () => {
    const { calls, links } = await showLinks(
      `<p>See <a href="https://example.org/x"><em>this</em></a></p>`,
    );
    const link = links[0]!;

    // A right click's auxclick is kept from the link, but asks nothing.
    expect(
      await fireEvent(
        link,
        new MouseEvent("auxclick", { button: 2, bubbles: true, cancelable: true }),
      ),
    ).toBe(false);
    expect(question()).toBeNull();

    // A middle click, on what the link holds.
    const middle = new MouseEvent("auxclick", { button: 1, bubbles: true, cancelable: true });
    expect(await fireEvent(link.querySelector("em")!, middle)).toBe(false);
    expect(question()!.textContent).toContain("https://example.org/x");
    await fireEvent.keyDown(question()!, { key: "Escape" });
    expect(question()).toBeNull();

    // Enter on the focused link.
    link.focus();
    expect(await fireEvent.keyDown(link, { key: "Enter" })).toBe(false);
    expect(question()!.textContent).toContain("https://example.org/x");
    // Any other key is left alone.
    await fireEvent.keyDown(question()!, { key: "Escape" });
    expect(await fireEvent.keyDown(link, { key: "a" })).toBe(true);
    expect(question()).toBeNull();

    expect(calls).not.toContain("app_open_link");
  });

  it("asks nothing for a link without an address, and still keeps the window where it is", async () => {
    // The sanitiser removes an address it refuses, leaving the link's text.
    const { links } = await showLinks('<p><a rel="noopener noreferrer">link</a></p>');
    expect(await fireEvent.click(links[0]!)).toBe(false);
    expect(question()).toBeNull();
  });
});
