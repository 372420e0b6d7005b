"""`change_recorded`: sent after the transaction that recorded a change event commits."""

from django.dispatch import Signal

# Sent with sender=ChangeEvent, seq=<the newest seq> and seqs=<every seq recorded>, once per
# transaction, after it commits (a publish that logs a hundred events wakes listeners once).
change_recorded = Signal()
