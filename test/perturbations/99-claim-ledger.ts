import type { NotebookPerturbations } from "./types";

// The ledger's exercises change other notebooks (a tolerance, a new check, a tag) and then re-run this one; nothing in
// this notebook's own cells is changed, so no variant applies them here. test/ledger.test.ts checks the mechanism.
const suite: NotebookPerturbations = {
  notebook: "99-claim-ledger.ipynb",
  variants: [],
  notApplied: {
    1: "edits a tolerance in another notebook (01), then re-runs this one unchanged",
    2: "adds a check to another notebook, then re-runs this one unchanged",
    3: "tags a check in another notebook, then re-runs this one unchanged",
  },
};
export default suite;
