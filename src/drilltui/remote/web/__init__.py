"""Browsers as participants: invitation links, a session cookie, and each session's dashboard on a PTY behind a WebSocket."""
