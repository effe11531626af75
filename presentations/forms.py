from django import forms
from django.utils import timezone

from dps import forms as dps_forms
from dps import widgets as python_widgets
from dps.models import Borough, Product
from presentations import stats
from presentations.choices import Occasion, Stream
from presentations.models import Delivery, validate_session_date

FEEDBACK_FIELDS = tuple(stats.FEEDBACK_FIELDS.values())
# Every occasion but "not recorded", which only an import of an old spreadsheet may set.
LOGGED_OCCASIONS = [
    (value, label) for value, label in Occasion.choices if value != Occasion.NOT_RECORDED
]
BRIEFED_CHOICES = [("yes", "Yes"), ("no", "No"), ("unknown", "Not known")]


class DeliveryForm(dps_forms.ModelForm):
    """Log one session: what a presenter fills in straight after delivering it."""

    staff_associations_briefed = forms.TypedChoiceField(
        label="Were the Police Federation and Trade Union Side briefed beforehand?",
        choices=BRIEFED_CHOICES,
        widget=forms.RadioSelect(attrs={"inline": True}),
        coerce={"yes": True, "no": False, "unknown": None}.get,
        empty_value=None,
        initial="yes",
    )

    class Meta:
        model = Delivery
        fields = [
            "delivered_on",
            "borough",
            "stream",
            "attendees",
            "products",
            "occasion",
            "presenters",
            "staff_associations_briefed",
            *FEEDBACK_FIELDS,
            "notes",
        ]
        labels = {
            "delivered_on": "Date of the session",
            "attendees": "Number of attendees",
            "presenters": "Presenter or presenters",
            "feedback_very_satisfied": "Feedback returns: very satisfied",
            "feedback_satisfied": "Feedback returns: satisfied",
            "feedback_neutral": "Feedback returns: neither satisfied nor dissatisfied",
            "feedback_dissatisfied": "Feedback returns: dissatisfied",
            "feedback_very_dissatisfied": "Feedback returns: very dissatisfied",
        }
        help_texts = {
            "delivered_on": "The day the session was given: today or earlier.",
            "products": "Civil actions and accident claims sessions cover their own product "
            "automatically.",
            "presenters": "Names of everyone who presented, separated by commas.",
            "feedback_very_satisfied": "Written feedback returns at each level. Leave 0 if none.",
        }
        # What a presenter is told, field by field (the rest: dps.forms.field_messages).
        error_messages = {
            "delivered_on": {"required": "Enter the date of the session"},
            "borough": {
                "required": "Select the borough or unit where the session was given",
                "invalid_choice": "Select the borough or unit from the list",
            },
            "stream": {"required": "Select the stream the session belongs to"},
            "attendees": {
                "required": "Enter the number of attendees",
                "invalid": "Enter the number of attendees as a whole number, like 25",
                "min_value": "Attendees must be 0 or more",
            },
            "occasion": {"required": "Select the occasion of the session"},
            "presenters": {"required": "Enter the names of the presenters"},
        }
        # Drawn in Python, not through Django's widget templates: the form is opened before
        # every session logged (issue 16). The radios and checkboxes are drawn with their
        # field group (dps.field_group).
        widgets = {
            "delivered_on": python_widgets.DateInput(),
            "borough": python_widgets.Select,
            "occasion": python_widgets.Select,
            "attendees": python_widgets.NumberInput,
            "presenters": python_widgets.TextInput,
            **dict.fromkeys(FEEDBACK_FIELDS, python_widgets.NumberInput),
            "stream": forms.RadioSelect,
            "products": forms.CheckboxSelectMultiple,
            "notes": python_widgets.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("borough", "products"):
            self.fields[name].iterator = dps_forms.NamedChoices
        self.fields["borough"].queryset = Borough.objects.active()
        self.fields["borough"].empty_label = "Choose a borough or unit"
        self.fields["products"].queryset = Product.objects.filter(active=True)
        self.fields["stream"].choices = Stream.choices
        self.fields["occasion"].choices = LOGGED_OCCASIONS
        # Only imports may leave these unrecorded: whoever logs a session knows both.
        self.fields["presenters"].required = True
        self.fields["attendees"].widget.attrs.update(
            {"inputmode": "numeric", "class": "govuk-input--width-5", "min": 0}
        )
        for name in FEEDBACK_FIELDS:
            self.fields[name].widget.attrs.update(
                {"inputmode": "numeric", "class": "govuk-input--width-4", "min": 0}
            )
        self.fields["presenters"].widget.attrs["autocomplete"] = "off"
        if self.instance.pk is not None:
            briefed = self.instance.staff_associations_briefed
            self.initial["staff_associations_briefed"] = {True: "yes", False: "no"}.get(
                briefed, "unknown"
            )

    def clean_delivered_on(self):
        delivered_on = self.cleaned_data["delivered_on"]
        validate_session_date(delivered_on)
        return delivered_on

    def clean(self):
        cleaned = super().clean()
        attendees = cleaned.get("attendees")
        returns = sum(cleaned.get(name) or 0 for name in FEEDBACK_FIELDS)
        if attendees is not None and returns > attendees:
            self.add_error(
                "feedback_very_satisfied",
                f"Feedback returns ({returns}) cannot be more than the number of attendees "
                f"({attendees}).",
            )
        return cleaned

    def warnings(self):
        """Things worth a second look that do not stop the save."""
        notes = []
        if self.cleaned_data.get("staff_associations_briefed") is False:
            notes.append(
                "The Police Federation and Trade Union Side were not briefed before this "
                "session. Brief them before the next one."
            )
        return notes


class StatisticsPeriodForm(dps_forms.Form):
    """A calendar year, or a from/to range (both ends included)."""

    year = forms.IntegerField(
        required=False,
        min_value=1990,
        max_value=2100,
        widget=python_widgets.NumberInput(
            attrs={"class": "govuk-input--width-4", "inputmode": "numeric"}
        ),
    )
    start = forms.DateField(label="From", required=False, widget=python_widgets.DateInput())
    end = forms.DateField(label="To", required=False, widget=python_widgets.DateInput())
    known_on = forms.DateField(
        label="As known on",
        required=False,
        widget=python_widgets.DateInput(),
        help_text="Optional: the figures as the log stood at the end of that day, beside today's.",
    )

    def __init__(self, *args, default_year, **kwargs):
        super().__init__(*args, **kwargs)
        self.default_year = default_year
        if not self.is_bound:
            self.initial.setdefault("year", default_year)

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if self.errors:
            return cleaned
        if start or end:
            if not (start and end):
                self.add_error("end" if start else "start", "Give both a from and a to date.")
            elif start > end:
                self.add_error("end", "The 'to' date must be on or after the 'from' date.")
            elif (end - start).days > 366 * 25:
                self.add_error("end", "Choose a range of 25 years or less.")
        known_on = cleaned.get("known_on")
        if known_on and known_on > timezone.localdate():
            self.add_error("known_on", "The 'as known on' date must be today or in the past.")
        return cleaned

    def as_known_on(self):
        """The 'as known on' day asked for, or None (also when the form is wrong)."""
        if self.is_bound and self.is_valid():
            return self.cleaned_data.get("known_on")
        return None

    def period(self):
        """(start, end) asked for, or the default year when the form is empty or wrong."""
        if self.is_bound and self.is_valid():
            if self.cleaned_data.get("start"):
                return self.cleaned_data["start"], self.cleaned_data["end"]
            if self.cleaned_data.get("year"):
                return stats.year_range(self.cleaned_data["year"])
        return stats.year_range(self.default_year)


class ImportUploadForm(dps_forms.Form):
    file = forms.FileField(
        label="Spreadsheet of sessions",
        error_messages={
            "required": "Select a spreadsheet of sessions to import",
            "empty": "The selected spreadsheet is empty: choose one with a header row and sessions",
        },
        help_text="A CSV (UTF-8, with a header row) or an Excel .xlsx file.",
    )
