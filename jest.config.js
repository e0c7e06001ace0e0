// ts-jest transpiles each file on its own (tsconfig's isolatedModules) without type-checking: `npm test` runs
// `tsc --noEmit` for that. Decorator metadata comes from tsconfig's emitDecoratorMetadata, which type-graphql
// needs. (Jest 30 and @swc/jest pull platform binaries the registry here lacks, which breaks `npm ci`.)
/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/test"],
  testMatch: ["**/*.spec.ts"],
  transform: { "^.+\\.ts$": ["ts-jest", { tsconfig: "tsconfig.json" }] },
  moduleFileExtensions: ["ts", "js", "json"],
  testTimeout: 30000,
};
