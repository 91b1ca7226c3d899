"""The app's own places and settings: platform dirs, settings, logging, units for people."""
