"""The Textual dashboard: panes that render engine state and keys that send commands."""
