"""A django-filter FilterSet that copies its declared filters lightly (issue 16).

django-filter deep-copies every declared filter on every request, and with them their widgets,
choice lists and querysets: for the log's nine filters that was most of the cost of building the
filter set. A filter's own state is a few names and its `extra` (the keyword arguments its form
field is built with); a request may change `extra` (the log sets its drop-downs' choices) and
caches the built field on the filter, so each request gets a copy of the filter and of `extra`,
no field built by another, and a `method` bound to its own copy. What `extra` holds is shared,
unchanged: a form field deep-copies the widget it is given, and querysets and choice lists are
only read.
"""

import copy

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
