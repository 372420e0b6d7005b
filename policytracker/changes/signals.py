"""`change_recorded`: sent after the transaction that recorded a change event commits."""

from django.dispatch import Signal

# Sent with sender=ChangeEvent and seq=<int>, once per event, after its transaction commits.
change_recorded = Signal()
