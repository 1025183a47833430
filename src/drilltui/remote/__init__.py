"""Remote drills: an SSH server where each participant joins as their role, one child per session."""
