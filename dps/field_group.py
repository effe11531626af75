"""A form field's GOV.UK group (label, hint, errors, widget) drawn in Python, and the form
renderer of every form (settings.FORM_RENDERER) that uses it.

templates/forms/govuk_field.html draws every field of every form; through the template engine
that is a `with`, several filters and nested `if`/`for` per field, which made the log's filter
form a quarter of a one-row log page (issue 16). Text inputs, drop-downs, text areas and file
inputs are drawn here with the same markup and the same escaping; checkboxes and radios, rarer
and with more markup, still go through the template. tests/dps/test_field_group.py checks the two
give the same HTML for every kind drawn here.
"""

from django.forms.renderers import TemplatesSetting
from django.utils.html import format_html, format_html_join

from dps.templatetags.govuk import govuk_field_kind, govuk_hint, govuk_widget

# The kinds drawn by the template's last branch: a label, then the widget.
DRAWN_HERE = frozenset({"input", "select", "textarea", "file"})


def field_group(field):
    """The field's group as govuk_field.html draws it (stripped, as a renderer returns it), or
    None for the kinds left to the template."""
    if govuk_field_kind(field) not in DRAWN_HERE:
        return None
    hint = govuk_hint(field)
    errors = field.errors
    return format_html(
        '<div class="govuk-form-group{}">\n\n'
        '  <label class="govuk-label govuk-label--s" for="{}">{}</label>\n'
        "  {}\n"
        "  {}\n"
        "  {}\n\n"
        "</div>",
        " govuk-form-group--error" if errors else "",
        field.id_for_label,
        field.label,
        format_html('<div id="{}-hint" class="govuk-hint">{}</div>', field.auto_id, hint)
        if hint
        else "",
        format_html_join(
            "",
            '<p {}class="govuk-error-message"><span class="govuk-visually-hidden">Error:</span> '
            "{}</p>",
            (
                (format_html('id="{}-error" ', field.auto_id) if index == 0 else "", error)
                for index, error in enumerate(errors)
            ),
        ),
        govuk_widget(field),  # safe HTML from the widget, as the template takes it
    )


class GovukFormRenderer(TemplatesSetting):
    """Renders every form and field with the GOV.UK Design System markup in templates/forms/."""

    form_template_name = "forms/govuk_form.html"
    field_template_name = "forms/govuk_field.html"

    def render(self, template_name, context, request=None):
        # Most fields are drawn in Python, as the template would draw them (dps.field_group).
        if template_name == self.field_template_name and "field" in context:
            drawn = field_group(context["field"])
            if drawn is not None:
                return drawn
        return super().render(template_name, context, request=request)
