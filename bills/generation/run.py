"""One generation, in the fixed order the seed depends on: references, bills, statements."""

import random

from django.contrib.contenttypes.models import ContentType

from bills.generation.bill_rows import add_bills
from bills.generation.generator import Generator
from bills.generation.reference_rows import add_references
from bills.generation.statement_rows import add_statements
from bills.models import Bill, BillAction, Sponsorship, Statement, StatementBill


def generate(rng: random.Random, cursor, *, bills: int, statements: int) -> dict[str, int]:
    """COPY every generated row through `cursor`; the number of rows per table, in order."""
    gen = Generator(rng, cursor)
    ctype = {
        model: ContentType.objects.get_for_model(model).pk
        for model in (Bill, BillAction, Sponsorship, Statement, StatementBill)
    }
    refs = add_references(gen, bills=bills, statements=statements)
    add_bills(gen, bills, refs, ctype)
    add_statements(gen, statements, bills, refs, ctype)
    return gen.flush()
