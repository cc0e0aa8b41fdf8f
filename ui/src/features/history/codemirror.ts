// CodeMirror 6 set up for the window. CodeMirror writes its styles at run time; into the
// document they would go as a `<style>` element, which the window's Content-Security-Policy
// (`style-src 'self'`) refuses. Inside a shadow root it uses a constructed stylesheet
// (`adoptedStyleSheets`) instead, which the policy allows; so every editor lives in a shadow root
// of its host element. The app's CSS variables are inherited through it, so the theme follows the
// light and dark colours.

import { defaultKeymap, history, historyKeymap, indentWithTab } from "@codemirror/commands";
import { defaultHighlightStyle, syntaxHighlighting } from "@codemirror/language";
import { EditorState, type Extension } from "@codemirror/state";
import {
  drawSelection,
  EditorView,
  highlightActiveLine,
  keymap,
  lineNumbers,
  placeholder,
} from "@codemirror/view";
import type { EditorMode } from "../../api";

/** A shadow root on `host` and an element inside it to mount an editor in. */
export function shadowMount(host: HTMLElement): { root: ShadowRoot; parent: HTMLElement } {
  const root = host.shadowRoot ?? host.attachShadow({ mode: "open", delegatesFocus: true });
  const parent = document.createElement("div");
  parent.className = "cm-host";
  // Set through CSSOM, which the CSP allows: the editor fills its host.
  parent.style.height = "100%";
  root.replaceChildren(parent);
  return { root, parent };
}

export const theme: Extension = EditorView.theme({
  "&": {
    height: "100%",
    color: "var(--color-text)",
    backgroundColor: "var(--color-surface)",
    fontSize: "var(--text-sm)",
    border: "1px solid var(--color-border-strong)",
    borderRadius: "var(--radius-md)",
  },
  "&.cm-focused": {
    outline: "2px solid var(--color-focus)",
    outlineOffset: "0",
  },
  ".cm-scroller": {
    fontFamily: "var(--font-mono)",
    lineHeight: "1.6",
  },
  ".cm-content": {
    caretColor: "var(--color-text)",
  },
  ".cm-gutters": {
    backgroundColor: "var(--color-surface-sunken)",
    color: "var(--color-text-muted)",
    borderRight: "1px solid var(--color-border)",
  },
  ".cm-activeLine": {
    backgroundColor: "color-mix(in srgb, var(--color-accent-subtle) 50%, transparent)",
  },
  "&.cm-focused .cm-selectionBackground, .cm-selectionBackground, ::selection": {
    backgroundColor: "var(--color-accent-subtle)",
  },
  ".cm-placeholder": {
    color: "var(--color-text-muted)",
  },
  // The merge view's colours: removed and added text, in the app's danger and green.
  ".cm-deletedChunk, .cm-changedLine": {
    backgroundColor: "color-mix(in srgb, var(--color-kind-green-bg) 60%, transparent)",
  },
  ".cm-changedText": {
    background: "var(--color-kind-green-bg)",
  },
  ".cm-merge-a .cm-changedLine, .cm-merge-a .cm-deletedChunk": {
    backgroundColor: "color-mix(in srgb, var(--color-danger-bg) 60%, transparent)",
  },
  ".cm-merge-a .cm-changedText": {
    background: "var(--color-danger-bg)",
  },
});

/**
 * The language support for a mode, loaded only when an editor needs it (Markdown and HTML bring
 * CSS and JavaScript grammars for embedded code, most of CodeMirror's size).
 */
export async function loadLanguage(mode: EditorMode): Promise<Extension> {
  switch (mode) {
    case "markdown":
      return (await import("@codemirror/lang-markdown")).markdown();
    case "html":
      return (await import("@codemirror/lang-html")).html();
    case "text":
      return [];
  }
}

/** Wraps long lines: teachers write prose, not code. */
const wrapping = EditorView.lineWrapping;

/** An editable editor for the editor window. */
export function editorExtensions(
  language: Extension,
  label: string,
  onchange: (text: string) => void,
  extra: Extension[] = [],
): Extension[] {
  return [
    lineNumbers(),
    history(),
    drawSelection(),
    highlightActiveLine(),
    syntaxHighlighting(defaultHighlightStyle, { fallback: true }),
    language,
    wrapping,
    theme,
    keymap.of([...defaultKeymap, ...historyKeymap, indentWithTab]),
    EditorView.contentAttributes.of({ "aria-label": label }),
    EditorView.updateListener.of((update) => {
      if (update.docChanged) onchange(update.state.doc.toString());
    }),
    ...extra,
  ];
}

/** A small editor for one stretch of text (a conflict settled by hand). */
export function smallEditorExtensions(
  label: string,
  hint: string,
  onchange: (text: string) => void,
): Extension[] {
  return [
    history(),
    drawSelection(),
    wrapping,
    theme,
    placeholder(hint),
    keymap.of([...defaultKeymap, ...historyKeymap]),
    EditorView.contentAttributes.of({ "aria-label": label }),
    EditorView.updateListener.of((update) => {
      if (update.docChanged) onchange(update.state.doc.toString());
    }),
  ];
}

/** Read-only text, for the sides of a conflict. */
export function readOnlyExtensions(label: string): Extension[] {
  return [
    EditorState.readOnly.of(true),
    EditorView.editable.of(false),
    wrapping,
    theme,
    EditorView.contentAttributes.of({ "aria-label": label }),
  ];
}

export { EditorState, EditorView };
