"""The table body built once per table (dps.table_body) shows exactly what django-tables2's own
per-cell rendering showed, on every list page of the demo: same values, links, dates, choice
labels, defaults, cell classes and escaping."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.template import Context, Template
from django.urls import reverse

from dps.table_body import body_rows, header_cells
from presentations.models import Delivery
from presentations.selectors import log_rows
from presentations.tables import DeliveryTable
from tests.factories import DeliveryFactory

pytestmark = pytest.mark.django_db

# The body as govuk_table.html rendered it before dps.table_body: django-tables2 cell by cell.
PER_CELL = Template(
    "{% for row in table.paginated_rows %}"
    '<tr class="govuk-table__row">'
    "{% for column, cell in row.items %}"
    '<td class="govuk-table__cell{% if column.attrs.td.class %} {{ column.attrs.td.class }}'
    '{% endif %}">{{ cell }}</td>'
    "{% endfor %}</tr>{% endfor %}"
)

LIST_PAGES = [
    "presentations:delivery-list",
    "pssp:borough-list",
    "pssp:product-list",
    "pssp:review-list",
    "pssp:tasking-list",
    "pssp:decision-list",
    "pssp:report-list",
    "pssp:meeting-list",
    "pssp:outcome-list",
    "pssp:event-list",
    "reports:manage",
    "themes:milestone-list",
    "themes:risk-list",
]


def _per_cell(table):
    table.paginator.page(table.page.number)  # the same page again, from the first row
    return PER_CELL.render(Context({"table": table}))


@pytest.fixture
def demo(settings):
    settings.DEBUG = True  # load_demo refuses to run outside the embedded demo
    call_command("load_demo")
    settings.DEBUG = False


def test_every_list_page_shows_what_django_tables2_rendered(demo, client):
    client.force_login(get_user_model().objects.get(username="planner"))
    for url_name in LIST_PAGES:
        response = client.get(reverse(url_name) + "?per_page=100")
        assert response.status_code == 200, url_name
        table = response.context["table"]
        rows = body_rows(table)
        assert rows, f"{url_name}: the demo has rows to compare"
        assert "".join(rows) == _per_cell(table), url_name
        assert "".join(rows) in re.sub(r">\s+<", "><", response.content.decode()), url_name


def test_an_empty_log_says_so(client, planner):
    client.force_login(planner)
    response = client.get(reverse("presentations:delivery-list"))
    assert response.status_code == 200
    assert "No session matches these filters." in response.content.decode()


def test_hostile_text_is_escaped_once(planner):
    DeliveryFactory(presenters="<script>alert(1)</script> & co", entered_by=planner)
    DeliveryFactory(presenters="PS O'Brien", entered_by=None, products=[])
    rows = log_rows(planner)
    html = "".join(body_rows(DeliveryTable(rows)))
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; co" in html
    assert "<script>" not in html
    assert html == PER_CELL.render(Context({"table": DeliveryTable(rows)}))


def test_choice_labels_looked_up_once_are_each_rows_own(planner):
    from presentations.choices import Occasion, Stream

    DeliveryFactory(stream=Stream.PSSP, occasion=Occasion.SEMINAR, entered_by=planner)
    DeliveryFactory(stream=Stream.CIVIL_ACTIONS, occasion=Occasion.SEMINAR, entered_by=planner)
    DeliveryFactory(stream=Stream.PSSP, occasion=Occasion.CONFERENCE, entered_by=planner)
    rows = log_rows(planner).order_by("pk")
    html = "".join(body_rows(DeliveryTable(rows)))
    assert html == PER_CELL.render(Context({"table": DeliveryTable(rows)}))
    assert html.count(f">{Stream.PSSP.label}<") == 2
    assert html.count(f">{Stream.CIVIL_ACTIONS.label}<") == 1
    assert html.count(f">{Occasion.CONFERENCE.label}<") == 1


# The header row as govuk_table.html drew it before dps.table_body.header_cells, column by column.
PER_COLUMN_HEADER = Template(
    "{% load django_tables2 %}{% for column in table.columns %}"
    '<th scope="col" class="govuk-table__header{% if column.attrs.th.class %} '
    '{{ column.attrs.th.class }}{% endif %}"{% if column.is_ordered %} aria-sort="'
    '{% if column.order_by_alias.is_descending %}descending{% else %}ascending{% endif %}"'
    '{% elif column.orderable %} aria-sort="none"{% endif %}>\n'
    "          {% if column.orderable %}\n"
    '          <a class="govuk-link" href="{% querystring_replace '
    'table.prefixed_order_by_field=column.order_by_alias.next %}">{{ column.header }}'
    '<span class="govuk-visually-hidden">, sort {% if column.is_ordered and not '
    "column.order_by_alias.is_descending %}descending{% else %}ascending{% endif %}</span></a>\n"
    '          {% if column.is_ordered %}<span aria-hidden="true">{% if '
    "column.order_by_alias.is_descending %} ▼{% else %} ▲{% endif %}</span>{% endif %}\n"
    "          {% else %}{{ column.header }}{% endif %}\n"
    "        </th>{% endfor %}"
)


def _per_column_header(response):
    table = response.context["table"]
    html = PER_COLUMN_HEADER.render(Context({"table": table, "request": response.wsgi_request}))
    return re.sub(r"\s*\n\s*", "", html)  # the template's line breaks and indents only


def test_every_list_pages_header_is_what_the_column_loop_drew(demo, client):
    client.force_login(get_user_model().objects.get(username="planner"))
    for url_name in LIST_PAGES:
        table = client.get(reverse(url_name)).context["table"]
        sortable = [column.name for column in table.columns if column.orderable]
        # Unsorted, then sorted up and down by a column, with other parameters kept in the links.
        queries = ["", "?per_page=10&x=<b>"]
        queries += (
            [f"?sort={sortable[0]}&per_page=10", f"?sort=-{sortable[-1]}"] if sortable else []
        )
        for query in queries:
            response = client.get(reverse(url_name) + query)
            assert response.status_code == 200, url_name
            html = header_cells(response.context["table"], response.wsgi_request)
            assert html == _per_column_header(response), (url_name, query)
            assert html in response.content.decode(), (url_name, query)
            if query.startswith("?sort"):
                assert 'aria-sort="ascending"' in html or 'aria-sort="descending"' in html


def test_render_methods_are_called_with_the_arguments_they_take(planner):
    import django_tables2 as tables

    class Shouting(tables.Table):
        presenters = tables.Column()
        stream = tables.Column()
        attendees = tables.Column()

        def render_presenters(self, value, record):
            return f"{value.upper()} ({record.pk})"

        def render_stream(self, **kwargs):
            return f"{kwargs['value']} in {kwargs['bound_column'].name}"

    DeliveryFactory(presenters="PS Jones", entered_by=planner)
    rows = log_rows(planner)
    for _ in range(2):  # a method's arguments are read once; the second table reads them again
        table = Shouting(rows)
        html = "".join(body_rows(table))
        assert html == PER_CELL.render(Context({"table": Shouting(rows)}))
        assert f"PS JONES ({rows[0].pk})" in html
        assert " in stream<" in html


class _Plain:
    """Not a model: resolved by django-tables2 itself."""

    name = "plain"


def test_cells_resolve_as_django_tables2_resolves_them(planner):
    from django_tables2.utils import Accessor

    from dps.table_body import resolve

    delivery = DeliveryFactory(presenters="PS Doyle", reference=None)
    delivery.related_dict = {"key": "dictionary value", "nested": {"deep": 3}}
    delivery.plain = _Plain()
    delivery.a_list = ["zero", "one"]
    delivery.delete_me = delivery.delete  # alters_data: refused, never called
    cases = [
        "presenters",
        "borough__name",
        "borough__get_kind_display",  # a method: called
        "entered_by__get_full_name",
        "reference__upper",  # None part way: None, not an error
        "related_dict__key",
        "related_dict__nested__deep",
        "plain__name",
        "a_list__1",
        "borough__no_such_field",
        "delete_me",
        "",
    ]
    for path in cases:
        accessor = Accessor(path)
        for quiet in (True, False):
            try:
                expected = ("value", accessor.resolve(delivery, quiet=quiet))
            except Exception as error:
                expected = ("error", type(error), str(error))
            try:
                got = ("value", resolve(accessor, delivery, quiet=quiet))
            except Exception as error:
                got = ("error", type(error), str(error))
            assert got == expected, (path, quiet)
    assert Delivery.objects.filter(pk=delivery.pk).exists()  # delete() was never called
