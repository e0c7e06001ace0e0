// Preloaded (node --require) into the services tests start: when the test runner is gone, its IPC channel
// closes and the child exits rather than run on with nobody to stop it. The channel keeps nothing else alive.
process.channel?.unref();
process.on("disconnect", () => process.exit(70));
