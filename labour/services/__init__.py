"""Labour business rules: building the engine's input, runs, decisions, credentials."""
