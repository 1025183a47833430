"""The `drilltui` subcommands, one module each."""
