// Preloaded only with --cpu-prof: Node writes a --cpu-prof profile on a normal exit, not when a
// signal ends the process (Nest's shutdown hooks re-raise SIGTERM), so exit normally on SIGTERM.
process.once('SIGTERM', () => process.exit(0));
