// Links inside a message must never take the window elsewhere: the window has no browser around
// it to come back from, and no opener is granted to hand the address to one. The sanitiser lets
// only http(s) and mailto addresses through; the window says the address instead of following it.

import { notify } from "../../components/notices.svelte";
import { t } from "../../i18n";

/** An attachment for an element holding message HTML: clicks on its links go nowhere. */
export function keepLinksInWindow(node: HTMLElement): () => void {
  function stop(event: MouseEvent) {
    const link = event.target instanceof Element ? event.target.closest("a") : null;
    if (link === null || !node.contains(link)) return;
    event.preventDefault();
    const url = link.getAttribute("href");
    if (url) notify(t("conversations.message.linkNotOpened", { url }));
  }
  // A middle click (auxclick) would open a new window rather than navigate this one.
  node.addEventListener("click", stop);
  node.addEventListener("auxclick", stop);
  return () => {
    node.removeEventListener("click", stop);
    node.removeEventListener("auxclick", stop);
  };
}
