import { fireEvent, render, screen, waitFor, within } from "@testing-library/svelte";
import katex from "katex";
import { describe, expect, it, vi } from "vitest";
import App from "../../App.svelte";
import type { MessageInfo } from "../../api";
import { fakeMessaging, sampleAccount, sampleMessage, stored } from "../../test/messaging";
import { mockShell } from "../../test/shell";
import MessageItem from "./MessageItem.svelte";

const ada = "@ada:school.example.org";
const ben = "@ben:school.example.org";
const directRoom = "!direct-ben:school.example.org";

/** Attribute values as Rust writes them: the TeX, HTML-escaped. */
const escaped = (tex: string) =>
  tex.replaceAll("&", "&amp;").replaceAll('"', "&quot;").replaceAll("<", "&lt;");

/** Inline math as the Matrix spec writes it, with `fallback` (the TeX unless given) shown without math. */
const inline = (tex: string, fallback = tex) =>
  `<span data-mx-maths="${escaped(tex)}"><code>${escaped(fallback)}</code></span>`;
/** Math on a line of its own. */
const display = (tex: string, fallback = tex) =>
  `<div data-mx-maths="${escaped(tex)}"><code>${escaped(fallback)}</code></div>`;

function mathMessage(html: string, eventId = "$math"): MessageInfo {
  return sampleMessage(eventId, ben, "the TeX as text", { html });
}

/** One message on its own, shown to Ada; its body. */
function showMessage(html: string) {
  mockShell({});
  const shown = render(MessageItem, {
    message: mathMessage(html),
    userId: ada,
    own: false,
    roomEncrypted: true,
  });
  return { ...shown, body: screen.getByTestId("message-body") };
}

/** The TeX KaTeX typeset into `element` (its MathML keeps the source). */
const typesetTex = (element: Element) =>
  element.querySelector('annotation[encoding="application/x-tex"]')?.textContent;

describe("math in messages", () => {
  it("typesets inline and display math from the TeX in the attribute", async () => {
    const { body } = showMessage(
      `<p>The area is ${inline("\\pi r^2", "pi r^2")} today</p>${display("\\frac{1}{2}")}`,
    );
    const [span, div] = [...body.querySelectorAll<HTMLElement>("[data-mx-maths]")];

    await waitFor(() => expect(span!.querySelector(".katex")).not.toBeNull());
    expect(typesetTex(span!)).toBe("\\pi r^2");
    expect(span!.querySelector(".katex-display")).toBeNull();
    expect(span!.querySelector("code")).toBeNull();
    // The text around it stays as it was.
    expect(body.querySelector("p")!.textContent).toMatch(/^The area is .* today$/);

    expect(div!.querySelector(".katex-display .katex")).not.toBeNull();
    expect(typesetTex(div!)).toBe("\\frac{1}{2}");
    expect(div!.querySelector("code")).toBeNull();
  });

  it("typesets the math again when the message's HTML changes", async () => {
    const { body, rerender } = showMessage(`<p>${inline("x^2")}</p>`);
    await waitFor(() => expect(typesetTex(body)).toBe("x^2"));

    await rerender({ message: mathMessage(`<p>Now ${inline("y_1")}</p>${display("\\sum_i i")}`) });
    await waitFor(() => expect(body.querySelectorAll(".katex")).toHaveLength(2));
    const [span, div] = [...body.querySelectorAll<HTMLElement>("[data-mx-maths]")];
    expect(typesetTex(span!)).toBe("y_1");
    expect(typesetTex(div!)).toBe("\\sum_i i");
    expect(body.querySelector("code")).toBeNull();
  });

  it("never reads the TeX as HTML, nor lets it load or link anything", async () => {
    const { body } = showMessage(
      [
        inline("<img src=x onerror=alert(1)>"),
        inline("\\href{javascript:alert(1)}{click}"),
        display("\\includegraphics{https://example.org/x.png}"),
      ].join(" "),
    );
    // KaTeX typeset all three (none was left as the fallback)…
    await waitFor(() => expect(body.querySelectorAll(".katex")).toHaveLength(3));
    expect(body.querySelector("code")).toBeNull();
    // …and none of them became markup.
    expect(body.querySelector("img, a, [onerror]")).toBeNull();
    expect(typesetTex(body)).toBe("<img src=x onerror=alert(1)>");
  });

  it("caps sizes, so that a formula cannot cover the window", async () => {
    const { body } = showMessage(inline("\\rule{1000em}{5000em}"));
    await waitFor(() => expect(body.querySelector(".katex")).not.toBeNull());
    const rule = body.querySelector<HTMLElement>(".katex-rule")!;
    expect(rule.style.borderRightWidth).toBe("20em");
    expect(rule.style.borderTopWidth).toBe("20em");
  });

  it("keeps the fallback of math KaTeX cannot typeset", async () => {
    // Four expansions of each macro from \a down: 4^6 tokens, more than the 1000 allowed.
    const expanding =
      "\\def\\f{x}\\def\\e{\\f\\f\\f\\f}\\def\\d{\\e\\e\\e\\e}\\def\\c{\\d\\d\\d\\d}\\def\\b{\\c\\c\\c\\c}\\def\\a{\\b\\b\\b\\b}\\a";
    const { body } = showMessage(
      `<p>${inline("\\frac{1}{")} and ${inline("x^2")}</p>${display(expanding)}`,
    );
    const [broken, fine, endless] = [...body.querySelectorAll<HTMLElement>("[data-mx-maths]")];
    await waitFor(() => expect(fine!.querySelector(".katex")).not.toBeNull());

    for (const [element, tex] of [
      [broken!, "\\frac{1}{"],
      [endless!, expanding],
    ] as const) {
      expect(element.querySelector(".katex, .katex-error")).toBeNull();
      expect(element.querySelector("code")?.textContent).toBe(tex);
    }
  });

  it("keeps the fallback when KaTeX throws", async () => {
    const render = vi.spyOn(katex, "render").mockImplementation(() => {
      throw new Error("KaTeX broke");
    });
    const { body } = showMessage(`<p>${inline("x^2")}</p>`);
    await waitFor(() => expect(render).toHaveBeenCalled());
    expect(body.querySelector("code")?.textContent).toBe("x^2");
    expect(body.querySelector(".katex")).toBeNull();
  });

  it("shows math in a conversation, and the composer says how to write it", async () => {
    const fake = fakeMessaging({
      accounts: [sampleAccount(ada)],
      rooms: {
        [ada]: [
          stored(directRoom, [mathMessage(`<p>Area: ${inline("\\pi r^2")}</p>`)], {
            directWith: ben,
          }),
        ],
      },
    });
    mockShell(fake.shell);
    render(App);
    await fireEvent.click(await screen.findByTestId("nav-conversations"));
    await fireEvent.click(await screen.findByTestId("room-row"));

    const message = await screen.findByTestId("message");
    await waitFor(() =>
      expect(typesetTex(within(message).getByTestId("message-body"))).toBe("\\pi r^2"),
    );
    const hintId = screen.getByTestId("composer").getAttribute("aria-describedby")!.split(" ")[0]!;
    expect(document.getElementById(hintId)?.textContent).toContain("$…$ for maths");
  });
});
