// SPDX-License-Identifier: Apache-2.0
// ESLint (flat config): the recommended JavaScript and typescript-eslint rules, with formatting
// left to Prettier (eslint-config-prettier turns off the rules it owns). Each rule turned off or
// relaxed below says why.
import js from "@eslint/js";
import prettier from "eslint-config-prettier";
import { defineConfig } from "eslint/config";
import tseslint from "typescript-eslint";

export default defineConfig(
  { ignores: ["dist/", "**/node_modules/", ".tools/", "**/*.d.ts", "examples/*/bin/", ".state/"] },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    files: ["**/*.ts"],
    rules: {
      // The provider handles JSON from the service and from Pulumi state, whose shapes are
      // checked at run time (provider/validation, client/status); tests poke at untyped answers.
      "@typescript-eslint/no-explicit-any": "off",
      // `_name` marks a parameter kept for a signature (the dynamic-provider interface) or a
      // destructured member dropped on purpose.
      "@typescript-eslint/no-unused-vars": [
        "error",
        {
          argsIgnorePattern: "^_",
          varsIgnorePattern: "^_",
          destructuredArrayIgnorePattern: "^_",
          caughtErrors: "none",
        },
      ],
      // TypeScript checks this itself (tsconfig noFallthroughCasesInSwitch), knowing that a call
      // returning `never` (process.exit) ends a case; the ESLint rule does not know that.
      "no-fallthrough": "off",
    },
  },
  {
    // The dynamic provider's methods are serialised into state as text and must load the
    // package by name when they run, and the SDK stores a provider as a require() of its module
    // only for the module's own export object (provider/dynamic/make.ts says why): require() is the point.
    files: ["provider/resources/provider.ts", "provider/dynamic/make.ts"],
    rules: { "@typescript-eslint/no-require-imports": "off" },
  },
  {
    // Mocha's reporter and other CommonJS helpers run under Node as plain scripts.
    files: ["**/*.js", "**/*.cjs"],
    languageOptions: {
      sourceType: "commonjs",
      globals: {
        require: "readonly",
        module: "writable",
        process: "readonly",
        __dirname: "readonly",
        console: "readonly",
      },
    },
    rules: { "@typescript-eslint/no-require-imports": "off" },
  },
  {
    // Small ES-module scripts (an example's build step) run under Node.
    files: ["**/*.mjs"],
    languageOptions: { sourceType: "module", globals: { process: "readonly", console: "readonly" } },
  },
  prettier,
  {
    // Prettier wraps code at 120 columns but never splits a comment or a string: comments must
    // keep the width by hand; a long message string may exceed it (splitting it hurts grep).
    rules: {
      "max-len": [
        "error",
        { code: 120, ignoreStrings: true, ignoreTemplateLiterals: true, ignoreRegExpLiterals: true, ignoreUrls: true },
      ],
    },
  },
);
