"""drilltui: a terminal console for running emergency-response drills."""

__version__ = "0.1.0"
