from django import forms

from dps import forms as dps_forms
from reports.choices import BlockKind
from reports.models import Committee, Report
from themes.models import Theme


class ReportForm(dps_forms.ModelForm):
    """A report's sections. The meeting is chosen as committee + date (created if new)."""

    committee = forms.ModelChoiceField(queryset=Committee.objects.all(), empty_label=None)
    meeting_date = forms.DateField(
        label="Meeting date", help_text="For example 2008-01-17 or 17/01/2008."
    )

    class Meta:
        model = Report
        fields = [
            "committee",
            "meeting_date",
            "agenda_order",
            "number",
            "report_date",
            "title",
            "by",
            "protective_marking",
            "summary",
            "recommendations",
            "supporting_information",
            "race_equality_impact",
            "financial_implications",
            "background_papers",
            "contact_details",
        ]
        widgets = {
            name: forms.Textarea(attrs={"rows": rows})
            for name, rows in (
                ("summary", 3),
                ("recommendations", 3),
                ("supporting_information", 20),
                ("race_equality_impact", 4),
                ("financial_implications", 3),
                ("background_papers", 2),
                ("contact_details", 3),
            )
        }
        help_texts = {"report_date": "The date printed on the report, e.g. 2008-01-17."}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["committee"].initial = self.instance.meeting.committee_id
            self.fields["meeting_date"].initial = self.instance.meeting.date


class BlockForm(dps_forms.Form):
    kind = forms.ChoiceField(label="Block", choices=BlockKind.choices)
    title = forms.CharField(
        label="Heading (optional)", required=False, max_length=200, help_text="Shown above it."
    )
    theme = forms.ModelChoiceField(
        queryset=None,
        required=False,
        help_text="For a theme's milestones.",
        empty_label="Choose a theme",
    )
    period_start = forms.DateField(
        required=False,
        help_text="For delivery figures: first day, e.g. 2007-01-01; for what changed: the "
        "date to compare from.",
    )
    period_end = forms.DateField(
        required=False,
        help_text="For delivery figures: last day, e.g. 2007-11-30; for what changed: the date "
        "to compare to.",
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["theme"].queryset = Theme.objects.visible_to(user)


class HighlightReportForm(dps_forms.Form):
    """A theme highlight report: the theme and period decide what it is pre-filled with."""

    theme = forms.ModelChoiceField(queryset=None, empty_label="Choose a theme")
    period_start = forms.DateField(help_text="First day of the period, e.g. 2007-09-01.")
    period_end = forms.DateField(help_text="Last day of the period, e.g. 2007-11-30.")
    committee = forms.ModelChoiceField(queryset=Committee.objects.all(), empty_label=None)
    meeting_date = forms.DateField(help_text="For example 2008-01-17.")
    number = forms.CharField(label="Report number", max_length=20)
    report_date = forms.DateField(label="Report date", help_text="The date printed on it.")
    by = forms.CharField(
        max_length=300,
        initial="Assistant Commissioner Operational Services on behalf of the Commissioner",
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["theme"].queryset = Theme.objects.visible_to(user)

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("period_start"), cleaned.get("period_end")
        if start and end and start > end:
            self.add_error("period_end", "The period must end on or after its start.")
        return cleaned


class PublishConfirmationForm(dps_forms.Form):
    confirm = forms.BooleanField(
        label="I have checked what will be frozen and who will be able to read it",
        error_messages={"required": "Confirm that you have checked the report before publishing."},
    )
