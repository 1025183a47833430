"""The SSH server's default limits, kept apart so the CLI can show them without importing asyncssh."""

DEFAULT_IDLE = 3600.0  # seconds without input; an observer may watch for a long time without typing
DEFAULT_MAX_SESSIONS = 50
DEFAULT_PER_PARTICIPANT = 4  # sessions of one participant at once (a laptop, a phone, a dropped one not yet ended)
DEFAULT_GRACE = 5.0  # seconds from a hang-up to SIGKILL of the session's process group

# A real terminal's size at most: what a session is drawn at, whatever the client announces.
MAX_COLS = 500
MAX_ROWS = 200
MAX_PIXELS = 16_384

# Connections that have not logged in yet: their own budget, apart from participants' slots.
MAX_UNAUTHENTICATED = 64
PER_ADDRESS = 10  # unauthenticated connections from one IPv4 address or IPv6 /64 at once
HANDSHAKE_TIMEOUT = 5.0  # seconds from connecting to the first login request
LOGIN_TIMEOUT = 20.0  # seconds from connecting to logged in (room for a key's passphrase)
MAX_KEY_TRIES = 12  # public-key requests on one connection (a query and a signature per key)
LOG_INTERVAL = 10.0  # seconds: refusals of one kind are logged once, then summed up once per interval
