"""A django-filter FilterSet that copies its declared filters lightly and builds its form
without copying the fields again (issue 16).

django-filter deep-copies every declared filter on every request, and with them their widgets,
choice lists and querysets: for the log's nine filters that was most of the cost of building the
filter set. A filter's own state is a few names and its `extra` (the keyword arguments its form
field is built with); a request may change `extra` (the log sets its drop-downs' choices) and
caches the built field on the filter, so each request gets a copy of the filter and of `extra`,
no field built by another, and a `method` bound to its own copy. What `extra` holds is shared,
unchanged: a form field deep-copies the widget it is given, and querysets and choice lists are
only read.

The form: django-filter made a new Form class on every request (type(...) with the filters'
fields as class attributes), and Django's Form.__init__ then deep-copied every one of those fields,
widgets and choice lists, which had been built from this filter set's own `extra` a moment before
and belonged to nothing else. Here the class is made once per filter set class (it holds only
Meta.form), and each form takes its filter set's fields as they are.
"""

import copy
import functools

import django_filters
from django.http import QueryDict


def light_copy(filter_):
    copied = copy.copy(filter_)
    copied.extra = dict(filter_.extra)
    copied.__dict__.pop("_field", None)  # built from the copied extra when first asked for
    if copied.method is not None:
        # Setting it again binds a new FilterMethod to the copy: the one copied would call the
        # method through the original filter, which belongs to no filter set.
        copied.method = filter_.method
    return copied


class FilterSet(django_filters.FilterSet):
    def __init__(self, data=None, queryset=None, *, request=None, prefix=None):
        # BaseFilterSet.__init__, but for its deep copy of base_filters.
        if queryset is None:
            queryset = self._meta.model._default_manager.all()
        self.is_bound = data is not None
        self.data = data or QueryDict()
        self.queryset = queryset
        self.request = request
        self.form_prefix = prefix
        self.filters = {name: light_copy(filter_) for name, filter_ in self.base_filters.items()}
        for filter_ in self.filters.values():
            filter_.model = queryset.model
            filter_.parent = self

    def get_form_class(self):
        return form_class(type(self))

    @property
    def form(self):
        if not hasattr(self, "_form"):
            self._form = self.get_form_class()(
                self.data if self.is_bound else None,
                prefix=self.form_prefix,
                filter_fields={name: filter_.field for name, filter_ in self.filters.items()},
            )
        return self._form


class TakesFilterFields:
    """For a filter set's form: the fields its filters built for this filter set, taken as they
    are, after any Meta.form declares itself (which Django copies as for any form), as
    django-filter's form class ordered them."""

    def __init__(self, *args, filter_fields, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields.update(filter_fields)
        self.order_fields(self.field_order)


@functools.cache
def form_class(filterset_class):
    """The form class of a filter set class, made once (django-filter's name for it)."""
    return type(
        f"{filterset_class.__name__}Form", (TakesFilterFields, filterset_class._meta.form), {}
    )
