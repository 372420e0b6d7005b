"""Stable addresses: the old slugs of renamed or merged records, kept as aliases."""
