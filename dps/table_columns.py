"""Tables whose columns are copied lightly for each table.

django-tables2 deep-copies every column of a table class each time a table is made, so that one
table's changes never reach the class: on the log that walks every column's accessor, verbose
name, link, order-by tuple and attribute dicts, about a tenth of a one-row page (issue 16). What a
table changes on its own columns is their attributes (`visible` by `columns.hide()`/`show()`, the
accessor a bound column fills in) and, in principle, their `attrs` dicts. So each column is copied
once (its own attribute dictionary) and its `attrs` deeply; everything else a column holds is read
only, and shared with the class.
"""

import copy
from collections import OrderedDict

import django_tables2 as tables


class LightlyCopiedColumns(OrderedDict):
    """A table class's `base_columns`, whose deep copy (one per table) is the light one above."""

    def __deepcopy__(self, memo):
        copied = OrderedDict()
        for name, column in self.items():
            column = copy.copy(column)
            column.attrs = copy.deepcopy(column.attrs, memo)
            copied[name] = column
        return copied


class Table(tables.Table):
    """django_tables2.Table with its columns copied lightly for each table."""

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        cls.base_columns = LightlyCopiedColumns(cls.base_columns)
