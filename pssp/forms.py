from django import forms

from dps import forms as dps_forms
from dps.choices import UnitKind
from dps.forms import DateInput, date_widgets
from dps.models import Borough
from pssp.choices import AudienceCategory
from pssp.models import (
    ActionPlan,
    BoroughReport,
    EngagementMeeting,
    Event,
    Outcome,
    PlanAction,
    Source,
    SourceReview,
    TaskingDecision,
    TaskingMeeting,
)
from themes.models import Theme


class PeriodForm(dps_forms.Form):
    start = forms.DateField(label="From", widget=DateInput())
    end = forms.DateField(label="To", widget=DateInput())

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("start") and cleaned.get("end") and cleaned["end"] < cleaned["start"]:
            self.add_error("end", "The period must end on or after its start.")
        return cleaned


class ComparisonForm(PeriodForm):
    rank_by = forms.ChoiceField(label="Rank by", required=False)

    def __init__(self, *args, sources=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["rank_by"].choices = [
            ("need", "Total across sources"),
            *[(f"source:{source.code}", source.name) for source in sources],
            ("attendees", "PSSP attendees"),
            ("sessions", "PSSP sessions"),
        ]


class SourceReviewForm(dps_forms.ModelForm):
    """The review and one figure per active source, entered together."""

    class Meta:
        model = SourceReview
        fields = ["borough", "period_start", "period_end", "reviewed_on", "analyst", "commentary"]
        widgets = date_widgets("period_start", "period_end", "reviewed_on")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["borough"].queryset = Borough.objects.active()
        self.sources = list(Source.objects.filter(active=True))
        existing = {}
        if self.instance.pk:
            existing = {figure.source_id: figure.count for figure in self.instance.figures.all()}
        for source in self.sources:
            self.fields[self.figure_field(source)] = forms.IntegerField(
                label=source.name,
                min_value=0,
                required=False,
                initial=existing.get(source.id),
                help_text="Leave empty if this source was not reviewed.",
            )

    @staticmethod
    def figure_field(source):
        return f"figure_{source.code.replace('-', '_')}"

    def figures(self):
        return {source: self.cleaned_data.get(self.figure_field(source)) for source in self.sources}


class TaskingMeetingForm(dps_forms.ModelForm):
    class Meta:
        model = TaskingMeeting
        fields = ["held_on", "chair", "attendees", "notes"]
        widgets = {**date_widgets("held_on"), "attendees": forms.Textarea(attrs={"rows": 3})}


class TaskingDecisionForm(dps_forms.ModelForm):
    class Meta:
        model = TaskingDecision
        fields = [
            "decision",
            "boroughs",
            "product",
            "resource",
            "owner",
            "due_on",
            "status",
            "completed_on",
            "follow_up",
        ]
        widgets = {
            **date_widgets("due_on", "completed_on"),
            "decision": forms.Textarea(attrs={"rows": 3}),
            "boroughs": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["boroughs"].queryset = Borough.objects.active()


class BoroughReportForm(dps_forms.ModelForm):
    class Meta:
        model = BoroughReport
        fields = [
            "borough",
            "title",
            "commissioned_on",
            "commissioned_at",
            "author",
            "scope",
            "mpa_link_member",
            "area_commander",
        ]
        widgets = date_widgets("commissioned_on")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["borough"].queryset = Borough.objects.active().filter(kind=UnitKind.BOROUGH)


class DocumentUploadForm(dps_forms.Form):
    document = forms.FileField(
        label="Report document",
        help_text="PDF, Word (.docx) or OpenDocument text (.odt).",
    )


class DraftedForm(dps_forms.Form):
    on = forms.DateField(label="Date drafted", widget=DateInput())


class DiscussedForm(dps_forms.Form):
    on = forms.DateField(label="Date discussed with the Borough Command Team", widget=DateInput())
    notes = forms.CharField(
        label="Borough Command Team response",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )


class DistributedForm(dps_forms.Form):
    mpa_link_member = forms.CharField(label="MPA link member", max_length=100)
    mpa_link_member_sent_on = forms.DateField(
        label="Copy sent to the MPA link member on", widget=DateInput()
    )
    area_commander = forms.CharField(label="MPS Area Commander", max_length=100)
    area_commander_sent_on = forms.DateField(
        label="Copy sent to the Area Commander on", widget=DateInput()
    )


class CloseForm(dps_forms.Form):
    on = forms.DateField(label="Date closed", widget=DateInput())
    note = forms.CharField(
        label="Closing note", widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class ActionPlanForm(dps_forms.ModelForm):
    class Meta:
        model = ActionPlan
        fields = ["status", "summary", "agreed_on"]
        widgets = date_widgets("agreed_on")


class PlanActionForm(dps_forms.ModelForm):
    class Meta:
        model = PlanAction
        fields = ["description", "owner", "due_on", "status", "completed_on", "notes"]
        widgets = {
            **date_widgets("due_on", "completed_on"),
            "description": forms.Textarea(attrs={"rows": 2}),
        }


class EngagementMeetingForm(dps_forms.ModelForm):
    class Meta:
        model = EngagementMeeting
        fields = ["borough", "kind", "met_on", "attendees", "notes"]
        widgets = date_widgets("met_on")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["borough"].queryset = Borough.objects.active()


def themes_for(user):
    """Themes a user may link an outcome to: restricted ones only when cleared."""
    return Theme.objects.visible_to(user)


class OutcomeForm(dps_forms.ModelForm):
    class Meta:
        model = Outcome
        fields = [
            "title",
            "description",
            "occurred_on",
            "borough",
            "product",
            "theme",
            "evidence",
            "evidence_reference",
        ]
        widgets = date_widgets("occurred_on")

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["borough"].queryset = Borough.objects.active()
        self.fields["theme"].queryset = themes_for(user)


class EventForm(dps_forms.ModelForm):
    """The event and its audience, one number per category."""

    class Meta:
        model = Event
        fields = [
            "title",
            "kind",
            "status",
            "starts_on",
            "timing_note",
            "venue",
            "partners",
            "product",
            "description",
        ]
        widgets = date_widgets("starts_on")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        existing = {}
        if self.instance.pk:
            existing = {a.category: a.number for a in self.instance.audiences.all()}
        for category in AudienceCategory:
            self.fields[self.audience_field(category)] = forms.IntegerField(
                label=f"Audience: {category.label}",
                min_value=0,
                required=False,
                initial=existing.get(category.value),
            )

    @staticmethod
    def audience_field(category):
        return f"audience_{category.value.replace('-', '_')}"

    def audiences(self):
        return {
            category.value: self.cleaned_data.get(self.audience_field(category))
            for category in AudienceCategory
        }
