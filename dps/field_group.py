"""A form field's GOV.UK group (label, hint, errors, widget) drawn in Python, and the form
renderer of every form (settings.FORM_RENDERER) that uses it.

templates/forms/govuk_field.html draws every field of every form; through the template engine
that is a `with`, several filters and nested `if`/`for` per field, which made the log's filter
form a quarter of a one-row log page and the radios and checkboxes about a third of the "Log a
presentation" page (issue 16: the template built every option's dictionary through
BoundField.subwidgets, then drew each through a dozen variable lookups). Every kind is drawn here
with the same markup and the same escaping; the template stays as the specification, and
tests/dps/test_field_group.py checks the two give the same HTML on every form of the demo. The
form around them (templates/forms/govuk_form.html: error summary, hidden then visible fields) is
drawn here too, and tested the same way.
"""

from django.forms.renderers import TemplatesSetting
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe

from dps.templatetags.govuk import describedby, govuk_field_kind, govuk_hint, govuk_widget
from dps.widgets import optgroups

# The kinds drawn by the template's last branch: a label, then the widget.
LABELLED_WIDGETS = frozenset({"input", "select", "textarea", "file"})
# The kinds drawn as a fieldset of inputs, one per option.
OPTION_LISTS = frozenset({"checkboxes", "radios"})
DRAWN_HERE = LABELLED_WIDGETS | OPTION_LISTS | {"checkbox"}


def field_group(field):
    """The field's group as govuk_field.html draws it (stripped, as a renderer returns it)."""
    kind = govuk_field_kind(field)
    hint = govuk_hint(field)
    errors = field.errors
    if kind in OPTION_LISTS:
        body = _option_list(field, kind, hint, errors)
    elif kind == "checkbox":
        body = _checkbox(field, hint, errors)
    else:
        label_for = conditional_escape(field.id_for_label)
        body = (
            f'<label class="govuk-label govuk-label--s" for="{label_for}">'
            f"{conditional_escape(field.label)}</label>\n"
            f"  {_hint(field, hint)}\n"
            f"  {_errors(field, errors)}\n"
            f"  {govuk_widget(field)}"  # safe HTML from the widget, as the template takes it
        )
    # Plain strings joined, every value escaped on the way in: format_html parses its format
    # and escapes every argument, already safe or not, for each of the dozens of pieces a form
    # has (issue 16).
    return mark_safe(  # noqa: S308 - every part is escaped or literal
        f'<div class="govuk-form-group{" govuk-form-group--error" if errors else ""}">\n\n'
        f"  {body}\n\n</div>"
    )


def _hint(field, hint):
    if not hint:
        return ""
    return mark_safe(  # noqa: S308 - every part is escaped or literal
        f'<div id="{conditional_escape(field.auto_id)}-hint" class="govuk-hint">'
        f"{conditional_escape(hint)}</div>"
    )


def _errors(field, errors):
    if not errors:
        return ""
    first_id = f'id="{conditional_escape(field.auto_id)}-error" '
    return mark_safe(  # noqa: S308 - every part is escaped or literal
        "".join(
            f'<p {first_id if index == 0 else ""}class="govuk-error-message">'
            f'<span class="govuk-visually-hidden">Error:</span> {conditional_escape(error)}</p>'
            for index, error in enumerate(errors)
        )
    )


def _described(field):
    described = describedby(field)
    return format_html(' aria-describedby="{}"', described) if described else ""


def _option_list(field, kind, hint, errors):
    """Radios or checkboxes in a fieldset, as the template's `{% for option in field %}` draws
    them: each option's id, value and checked state as BoundField.subwidgets gives them
    (Django's ChoiceWidget.optgroups and create_option), without a dictionary per option."""
    widget = field.field.widget
    # BoundField.subwidgets: the widget's own id if it has one, else the form's.
    field_id = widget.attrs.get("id") or field.auto_id
    input_type = "checkbox" if kind == "checkboxes" else "radio"
    name = conditional_escape(field.html_name)
    options = []
    for _group, group_options in optgroups(widget, widget.format_value(field.value())):
        for index, value, label, selected in group_options:
            # create_option gives an option an id only when the field has one (else the
            # template writes Python's None).
            option_id = widget.id_for_label(field_id, index) if field_id else None
            option_id = conditional_escape(option_id)
            options.append(
                f'\n      <div class="govuk-{kind}__item">\n'
                f'        <input class="govuk-{kind}__input" id="{option_id}"'
                f' name="{name}" type="{input_type}"'
                f' value="{conditional_escape(str(value))}"{" checked" if selected else ""}>\n'
                f'        <label class="govuk-label govuk-{kind}__label" for="{option_id}">'
                f"{conditional_escape(label)}</label>\n"
                "      </div>\n      "
            )
    return format_html(
        '<fieldset class="govuk-fieldset"{}>\n'
        '    <legend class="govuk-fieldset__legend govuk-fieldset__legend--s">{}</legend>\n'
        "    {}\n"
        "    {}\n"
        '    <div class="govuk-{} govuk-{}--small{}" data-module="govuk-{}">\n'
        "      {}\n"
        "    </div>\n"
        "  </fieldset>",
        _described(field),
        field.label,
        _hint(field, hint),
        _errors(field, errors),
        kind,
        kind,
        format_html(" govuk-{}--inline", kind) if widget.attrs.get("inline") else "",
        kind,
        mark_safe("".join(options)),  # noqa: S308 - every part above is escaped or literal
    )


def _checkbox(field, hint, errors):
    """A single yes/no checkbox, its label beside it."""
    return format_html(
        "{}\n  {}\n"
        '  <div class="govuk-checkboxes govuk-checkboxes--small" data-module="govuk-checkboxes">\n'
        '    <div class="govuk-checkboxes__item">\n'
        '      <input class="govuk-checkboxes__input" id="{}" name="{}" type="checkbox"{}{}>\n'
        '      <label class="govuk-label govuk-checkboxes__label" for="{}">{}</label>\n'
        "    </div>\n"
        "  </div>",
        _hint(field, hint),
        _errors(field, errors),
        field.auto_id,
        field.html_name,
        " checked" if field.value() else "",
        _described(field),
        field.auto_id,
        field.label,
    )


def form_body(form):
    """The form as govuk_form.html draws it (stripped): the error summary when it has errors,
    its hidden fields, then each visible field's group."""
    summary = ""
    if form.errors:
        summary = (
            '<div class="govuk-error-summary" data-module="govuk-error-summary">\n'
            '  <div role="alert">\n'
            '    <h2 class="govuk-error-summary__title">There is a problem</h2>\n'
            '    <div class="govuk-error-summary__body">\n'
            '      <ul class="govuk-list govuk-error-summary__list">\n'
            f"        {_summary_errors(form)}\n"
            "      </ul>\n"
            "    </div>\n"
            "  </div>\n"
            "</div>"
        )
    hidden = "".join(str(field) for field in form.hidden_fields())
    visible = "".join(field.as_field_group() for field in form.visible_fields())
    return mark_safe(f"{summary}\n\n{hidden}\n{visible}".strip())  # noqa: S308 - all escaped


def _summary_errors(form):
    """The summary's list: errors above the form, each visible field's linked to its input (a
    fieldset's first option), then the hidden fields' named by label."""
    above = "".join(f"<li>{conditional_escape(error)}</li>" for error in form.non_field_errors())
    linked = "".join(
        f'\n        <li><a href="#{conditional_escape(field.auto_id)}'
        f'{"_0" if govuk_field_kind(field) in OPTION_LISTS else ""}">'
        f"{conditional_escape(error)}</a></li>\n        "
        for field in form.visible_fields()
        for error in field.errors
    )
    hidden = "".join(
        f"<li>{conditional_escape(field.label)}: {conditional_escape(error)}</li>"
        for field in form.hidden_fields()
        for error in field.errors
    )
    return f"{above}\n        {linked}\n        {hidden}"


class GovukFormRenderer(TemplatesSetting):
    """Renders every form and field with the GOV.UK Design System markup in templates/forms/."""

    form_template_name = "forms/govuk_form.html"
    field_template_name = "forms/govuk_field.html"

    def render(self, template_name, context, request=None):
        # Forms and fields are drawn in Python, as the templates would draw them.
        if template_name == self.field_template_name and "field" in context:
            return field_group(context["field"])
        if template_name == self.form_template_name and "form" in context:
            return form_body(context["form"])
        return super().render(template_name, context, request=request)
