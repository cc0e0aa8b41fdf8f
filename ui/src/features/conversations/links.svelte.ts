// Links inside a message never take the window elsewhere: the window has no browser around it to
// come back from. A click, a middle click or Enter on one asks first, showing the address itself
// as text (a link can say one thing and go to another); only once the person confirms is the
// address handed to the shell, which opens http(s) and mailto addresses in the system's browser or
// mail program and refuses anything else. The question is asked by one `ConfirmDialog`, shown by
// the section (`ConversationsView`) from the state here.

import { openLink, toCommandError } from "../../api";
import { notify } from "../../components/notices.svelte";
import { t } from "../../i18n";

/** What the link shows, cut to this many characters in the question; the address never is. */
const TEXT_SHOWN = 120;

export type LinkQuestion = {
  /** The address exactly as the message gives it (`href`), the one that is opened. */
  url: string;
  /** What the link says, when that is something other than its address. */
  text: string | null;
  /** A mailto address, opened by the mail program rather than the browser. */
  mail: boolean;
};

export const links = $state<{ asking: LinkQuestion | null; opening: boolean }>({
  asking: null,
  opening: false,
});

function questionFor(link: HTMLAnchorElement): LinkQuestion | null {
  const url = link.getAttribute("href");
  if (!url) return null;
  const mail = /^mailto:/i.test(url);
  const said = (link.textContent ?? "").replace(/\s+/g, " ").trim();
  // "ada@example.org" going to "mailto:ada@example.org" says where it goes.
  const same = said === "" || said === url || (mail && said === url.slice("mailto:".length));
  const text = same ? null : said.length > TEXT_SHOWN ? `${said.slice(0, TEXT_SHOWN)}…` : said;
  return { url, text, mail };
}

/** The question's body: the address in full, and what the link said when that differs. */
export function linkQuestionBody(question: LinkQuestion): string {
  return question.text === null
    ? t("conversations.link.goesTo", { url: question.url })
    : t("conversations.link.differs", { text: question.text, url: question.url });
}

/** The confirm button's label: where the address will open. */
export function linkOpenLabel(question: LinkQuestion): string {
  return question.mail ? t("conversations.link.openInMail") : t("conversations.link.openInBrowser");
}

/** Asks whether to open `link`'s address; a link without one asks nothing. */
export function askToOpen(link: HTMLAnchorElement): void {
  if (links.opening) return;
  links.asking = questionFor(link);
}

/** The person confirmed: the shell opens the address; a failure is said in a notice. */
export async function confirmOpen(): Promise<void> {
  const question = links.asking;
  if (question === null || links.opening) return;
  links.opening = true;
  try {
    await openLink(question.url);
  } catch (reason) {
    notify(t("conversations.link.failed", { message: toCommandError(reason).message }));
  } finally {
    links.opening = false;
    links.asking = null;
  }
}

/** The person said no: nothing is opened. */
export function cancelOpen(): void {
  if (!links.opening) links.asking = null;
}

/** Forgets the question (the section closed, or between tests). */
export function resetLinks(): void {
  links.asking = null;
  links.opening = false;
}

/**
 * An attachment for an element holding message HTML: its links never navigate the window; a
 * click, a middle click or Enter on one asks whether to open its address outside Commonplace.
 */
export function keepLinksInWindow(node: HTMLElement): () => void {
  function linkOf(event: Event): HTMLAnchorElement | null {
    const link = event.target instanceof Element ? event.target.closest("a") : null;
    return link !== null && node.contains(link) ? link : null;
  }

  function onclick(event: MouseEvent) {
    const link = linkOf(event);
    if (link === null) return;
    event.preventDefault();
    askToOpen(link);
  }

  // A middle click (auxclick) would open a new window rather than navigate this one; other
  // buttons (the right one opens the context menu) are only kept from following the link.
  function onauxclick(event: MouseEvent) {
    const link = linkOf(event);
    if (link === null) return;
    event.preventDefault();
    if (event.button === 1) askToOpen(link);
  }

  // Enter on a focused link would follow it (as a click, in a browser); the key is taken here so
  // that it asks once, with or without a modifier.
  function onkeydown(event: KeyboardEvent) {
    if (event.key !== "Enter" || event.isComposing) return;
    const link = linkOf(event);
    if (link === null) return;
    event.preventDefault();
    askToOpen(link);
  }

  node.addEventListener("click", onclick);
  node.addEventListener("auxclick", onauxclick);
  node.addEventListener("keydown", onkeydown);
  return () => {
    node.removeEventListener("click", onclick);
    node.removeEventListener("auxclick", onauxclick);
    node.removeEventListener("keydown", onkeydown);
  };
}
