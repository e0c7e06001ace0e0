/**
 * The layering, checked in `npm test` (npm run lint): dependencies run one way,
 *   events (store, envelope, catalogue) ← domain (deciders, rules) ← projections ← services ← scripts,
 * with tests and benchmarks free to use any layer, and the console (console/) using none: it reaches the
 * system through the gateway only. A new upward import fails the build.
 */
const LAYERS = ["events", "domain", "projections", "services", "scripts"];

module.exports = {
  forbidden: LAYERS.flatMap((layer, index) =>
    LAYERS.slice(index + 1).map((above) => ({
      name: `${layer}-not-on-${above}`,
      comment: `${layer}/ sits below ${above}/: it must not import from it`,
      severity: "error",
      from: { path: `^${layer}/` },
      to: { path: `^${above}/` },
    })),
  ).concat([
    {
      name: "no-tests-in-code",
      comment: "only tests and benchmarks import test support",
      severity: "error",
      from: { path: `^(${LAYERS.join("|")})/` },
      to: { path: "^test/" },
    },
    {
      name: "console-talks-to-the-gateway-only",
      comment: "the console is a client of the API like any other: it imports none of the server's code",
      severity: "error",
      from: { path: "^console/" },
      to: { path: `^(${LAYERS.join("|")}|test)/` },
    },
    {
      name: "auditor-verifier-stands-alone",
      comment: "the auditor's verifier trusts nothing of the server: it imports Node's own modules only",
      severity: "error",
      from: { path: "^scripts/auditor/" },
      to: { dependencyTypesNot: ["core"] },
    },
    {
      name: "no-circular",
      severity: "error",
      from: {},
      to: { circular: true },
    },
  ]),
  options: {
    doNotFollow: { path: "node_modules" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    exclude: { path: "^(dist|node_modules)/" },
  },
};
