"""The change log: one append-only table of every change a service makes (a transactional
outbox), and the public feed that serves it (`/api/v1/changes/`)."""
