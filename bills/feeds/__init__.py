"""Atom feeds of what was recorded: per bill, per topic, per person, and every status change."""
