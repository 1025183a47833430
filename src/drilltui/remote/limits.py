"""The SSH server's default limits, kept apart so the CLI can show them without importing asyncssh."""

DEFAULT_IDLE = 3600.0  # seconds without input; an observer may watch for a long time without typing
DEFAULT_MAX_SESSIONS = 50
DEFAULT_GRACE = 5.0  # seconds between the polite quit, SIGHUP/SIGTERM and SIGKILL
