from django import forms

from dps import forms as dps_forms
from dps.forms import use_date_inputs
from themes.models import (
    Assumption,
    Benefit,
    BenefitMeasurement,
    Decision,
    DecisionAction,
    Deliverable,
    Issue,
    Milestone,
    Risk,
    SupportingArea,
    Theme,
    ThemeFinance,
    ThemeStatusUpdate,
)


class ThemeScopedForm(dps_forms.ModelForm):
    """A form for a record that belongs to one theme: the view supplies the theme."""

    def __init__(self, *args, theme, **kwargs):
        self.theme = theme
        super().__init__(*args, **kwargs)
        self.instance.theme = theme
        use_date_inputs(self)
        if "supporting_areas" in self.fields:
            self.fields["supporting_areas"].queryset = SupportingArea.objects.filter(
                programme=theme.programme
            )
            self.fields["supporting_areas"].widget = forms.CheckboxSelectMultiple()
            self.fields["supporting_areas"].choices = self.fields["supporting_areas"].choices

    def save(self, commit=True):
        self.instance.theme = self.theme
        return super().save(commit)


class MilestoneForm(dps_forms.ModelForm):
    """Create or edit a milestone. On edit the baseline is fixed, a changed forecast needs a
    reason, and `version` carries the version the user opened (for the conflict check)."""

    reason = forms.CharField(
        label="Reason for the new forecast date",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text="Required when you change the forecast date. It is kept with the re-forecast.",
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    # Declared rather than taken from the model, so the form never reads the milestone's links
    # round the visibility layer.
    depends_on = forms.ModelMultipleChoiceField(
        Milestone.objects.none(),
        label="Depends on",
        help_text=Milestone._meta.get_field("depends_on").help_text,
        required=False,
    )

    class Meta:
        model = Milestone
        fields = [
            "deliverable",
            "title",
            "description",
            "owner",
            "baseline_date",
            "forecast_date",
            "actual_date",
            "status",
            "supporting_areas",
        ]

    def __init__(self, *args, theme, user, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            # Read through the visibility layer: a prerequisite may sit in a theme this user is
            # not cleared for (the service keeps such links when saving).
            self.initial.setdefault(
                "depends_on",
                list(self.instance.depends_on.visible_to(user).values_list("pk", flat=True)),
            )
        self.theme = theme
        use_date_inputs(self)
        self.fields["deliverable"].queryset = Deliverable.objects.visible_to(user).filter(
            theme=theme
        )
        self.fields["supporting_areas"].queryset = SupportingArea.objects.filter(
            programme=theme.programme
        )
        self.fields["supporting_areas"].widget = forms.CheckboxSelectMultiple()
        self.fields["supporting_areas"].choices = self.fields["supporting_areas"].choices
        # Dependencies within the theme (cross-theme links would reveal restricted themes).
        prerequisites = Milestone.objects.visible_to(user).filter(deliverable__theme=theme)
        if self.instance.pk:
            prerequisites = prerequisites.exclude(pk=self.instance.pk)
        self.fields["depends_on"].queryset = prerequisites
        self.fields["depends_on"].required = False
        self.fields["forecast_date"].required = False
        self.fields["forecast_date"].help_text = "Leave blank to use the baseline date."
        if self.instance.pk:
            del self.fields["baseline_date"]
            self.fields["forecast_date"].required = True
            self.fields["version"].initial = self.instance.version
        else:
            del self.fields["reason"]
            del self.fields["version"]
            del self.fields["actual_date"]
            del self.fields["status"]

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk:
            forecast = cleaned.get("forecast_date")
            if (
                forecast
                and forecast != self.initial.get("forecast_date")
                and not (cleaned.get("reason") or "").strip()
            ):
                self.add_error("reason", "Enter the reason the forecast date has changed")
        return cleaned

    def _post_clean(self):
        # The service runs the model validation inside its locked transaction; here only the
        # field values are checked, so the version check sees the row as it is when saving.
        if self.instance.pk:
            return
        super()._post_clean()


class DeliverableForm(ThemeScopedForm):
    class Meta:
        model = Deliverable
        fields = ["title", "description", "order"]


class ThemeForm(dps_forms.ModelForm):
    class Meta:
        model = Theme
        fields = ["lead", "description", "current_state", "target_state"]


class StatusUpdateForm(ThemeScopedForm):
    class Meta:
        model = ThemeStatusUpdate
        fields = ["as_at", "rag", "reason"]
        widgets = {"rag": forms.RadioSelect}


class RiskForm(ThemeScopedForm):
    class Meta:
        model = Risk
        fields = [
            "title",
            "cause",
            "event",
            "effect",
            "likelihood_before",
            "impact_before",
            "response_category",
            "response",
            "likelihood_after",
            "impact_after",
            "proximity",
            "owner",
            "actionee",
            "status",
            "raised_on",
            "review_date",
            "supporting_areas",
        ]
        widgets = {"cause": forms.Textarea(attrs={"rows": 2})}


class AssumptionForm(ThemeScopedForm):
    class Meta:
        model = Assumption
        fields = ["description", "owner", "status", "review_date"]


class IssueForm(ThemeScopedForm):
    class Meta:
        model = Issue
        fields = [
            "issue_type",
            "title",
            "description",
            "priority",
            "raised_by",
            "owner",
            "raised_on",
            "status",
            "resolution",
            "closed_on",
        ]
        widgets = {"issue_type": forms.RadioSelect}


class DecisionForm(ThemeScopedForm):
    class Meta:
        model = Decision
        fields = ["decided_on", "title", "description", "decided_by"]


class DecisionActionForm(dps_forms.ModelForm):
    class Meta:
        model = DecisionAction
        fields = ["description", "owner", "due_date", "status"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        use_date_inputs(self)


class BenefitForm(ThemeScopedForm):
    class Meta:
        model = Benefit
        fields = [
            "title",
            "description",
            "measure",
            "unit",
            "baseline_value",
            "target_value",
            "owner",
            "expected_date",
        ]


class BenefitMeasurementForm(dps_forms.ModelForm):
    class Meta:
        model = BenefitMeasurement
        fields = ["measured_on", "value", "note"]

    def __init__(self, *args, benefit, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.benefit = benefit
        use_date_inputs(self)

    def clean_measured_on(self):
        # Django checks unique constraints only over the form's own fields, and the benefit is
        # not one: unchecked, a second measurement that day is an IntegrityError on save.
        measured_on = self.cleaned_data["measured_on"]
        same_day = BenefitMeasurement.objects.filter(
            benefit=self.instance.benefit, measured_on=measured_on
        )
        if same_day.exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(
                f"This benefit already has a measurement on {measured_on:%-d %B %Y}. "
                "Change that one instead."
            )
        return measured_on


class FinanceForm(ThemeScopedForm):
    class Meta:
        model = ThemeFinance
        fields = ["financial_year", "budget", "forecast", "actual", "savings_committed"]

    def clean_financial_year(self):
        year = self.cleaned_data["financial_year"]
        others = ThemeFinance.objects.filter(theme=self.theme, financial_year=year)
        if others.exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(f"This theme already has figures for {year}")
        return year


class ToleranceForm(dps_forms.Form):
    time_tolerance_days = forms.IntegerField(
        label="Time tolerance (days)",
        min_value=0,
        # Added to dates when milestones are rated: ten years is already no tolerance at all.
        max_value=3650,
        required=False,
        help_text="Leave blank to use the programme default.",
    )
    cost_tolerance_percent = forms.DecimalField(
        label="Cost tolerance (%)", min_value=0, max_digits=5, decimal_places=1, required=False
    )
    scope_tolerance = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
