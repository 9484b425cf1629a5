/** The code cell editor: CodeMirror 6 with TypeScript highlighting; Shift+Enter runs the cell, Ctrl/Cmd+Enter too. */
import { defaultKeymap, history, historyKeymap } from "@codemirror/commands";
import { javascript } from "@codemirror/lang-javascript";
import { bracketMatching, defaultHighlightStyle, indentOnInput, syntaxHighlighting } from "@codemirror/language";
import { EditorState } from "@codemirror/state";
import { drawSelection, EditorView, keymap } from "@codemirror/view";

export interface CellEditor {
  view: EditorView;
  get(): string;
  set(text: string): void;
  focus(): void;
}

/**
 * Mount an editor holding `source` before `anchor`.
 * @param onRun called by Shift+Enter (advance: true, Jupyter's "run and go to the next cell") or Ctrl/Cmd+Enter
 * @param onChange called after every edit
 */
export function mountEditor(anchor: Element, source: string, label: string, onRun: (advance: boolean) => void, onChange: () => void): CellEditor {
  const run = (advance: boolean) => () => {
    onRun(advance);
    return true;
  };
  const view = new EditorView({
    state: EditorState.create({
      doc: source,
      extensions: [
        history(),
        drawSelection(),
        indentOnInput(),
        bracketMatching(),
        syntaxHighlighting(defaultHighlightStyle, { fallback: true }),
        javascript({ typescript: true }),
        keymap.of([{ key: "Shift-Enter", run: run(true) }, { key: "Mod-Enter", run: run(false) }, ...defaultKeymap, ...historyKeymap]),
        EditorView.contentAttributes.of({ "aria-label": label }),
        EditorView.updateListener.of((u) => { if (u.docChanged) onChange(); }),
      ],
    }),
  });
  anchor.parentNode!.insertBefore(view.dom, anchor);
  return {
    view,
    get: () => view.state.doc.toString(),
    set: (text: string) => view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text } }),
    focus: () => view.focus(),
  };
}
