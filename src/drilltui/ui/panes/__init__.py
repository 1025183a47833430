"""Dashboard panes, one widget per module."""
