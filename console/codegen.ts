/**
 * Typed operations from the checked-in supergraph, as a front-end team consumes the API: an operation the
 * schema no longer accepts fails the console's build, and so `npm test`.
 */
import type { CodegenConfig } from "@graphql-codegen/cli";

const config: CodegenConfig = {
  schema: "schema/supergraph.graphql",
  documents: ["console/src/**/*.tsx", "console/src/**/*.ts", "!console/src/gql/**"],
  generates: {
    "console/src/gql/": {
      preset: "client",
      config: {
        enumsAsTypes: true,
        useTypeImports: true,
        scalars: { BusinessDate: "string", Position: "string", JSONObject: "Record<string, unknown>" },
      },
      presetConfig: { fragmentMasking: false },
    },
  },
  ignoreNoDocuments: false,
  silent: true,
};

export default config;
