// ESLint flat config: the recommended JavaScript and typescript-eslint rules
// over the whole project (sources, tests, benchmarks).
import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["node_modules/", "dist/", "coverage/", "data/", ".tmp/"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      // Unused values are errors, except deliberately ignored ones (_name).
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrorsIgnorePattern: "^_" },
      ],
      // The text normaliser matches control characters on purpose.
      "no-control-regex": "off",
      eqeqeq: ["error", "always", { null: "ignore" }],
      "prefer-const": "error",
      "no-console": ["error", { allow: ["warn", "error"] }],
    },
  },
  {
    // Command-line tools, the terminal chat, benchmarks and test helpers print to stdout.
    files: ["src/cli/**", "src/terminal.ts", "bench/**", "test/**", "src/main.ts"],
    rules: { "no-console": "off" },
  },
);
