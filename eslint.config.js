// The lint gate (run by `npm run lint` and by test/lint.test.ts in `npm test`): functions stay short enough to read.
// A hot numerical kernel whose speed depends on being one function may opt out with an inline
// `// eslint-disable-next-line max-lines-per-function -- hot kernel: <why>` comment that names it.
import tseslint from "typescript-eslint";

export default [
  { ignores: ["node_modules/**", "site/**", ".cache/**", "notebooks/**", "**/*-generated.ts", "**/*.generated.*"] },
  {
    files: ["lib/**/*.ts", "tools/**/*.ts", "tools/**/*.mjs", "bench/**/*.ts"],
    languageOptions: { parser: tseslint.parser, ecmaVersion: 2022, sourceType: "module" },
    plugins: { "@typescript-eslint": tseslint.plugin },
    linterOptions: { reportUnusedDisableDirectives: "off" },
    rules: { "max-lines-per-function": ["error", { max: 80, skipBlankLines: true, skipComments: true, IIFEs: true }] },
  },
];
