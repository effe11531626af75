"""Each person's notice choices, and the list of notices sent (their own; all, for whoever may
view notices, within their clearance)."""

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse

from dps import forms as dps_forms
from dps import notices, params

SENT_PER_PAGE = 50


class NoticePreferencesForm(dps_forms.Form):
    kinds = forms.MultipleChoiceField(
        label="Email me about",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Untick a kind of notice to stop getting it. You can change this at any time.",
    )

    def __init__(self, *args, offered=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kinds"].choices = [
            (kind.code, f"{kind.label}. {kind.hint}") for kind in offered
        ]


def notice_preferences(request):
    offered = notices.kinds_for(request.user)
    form = NoticePreferencesForm(
        request.POST or None,
        offered=offered,
        initial={"kinds": notices.chosen_kinds(request.user)},
    )
    if request.method == "POST" and form.is_valid():
        notices.preferences_update(request.user, form.cleaned_data["kinds"])
        messages.success(request, "Your choice of email notices is saved.")
        return redirect("notice-preferences")
    return render(
        request,
        "account/notice_preferences.html",
        {"form": form, "offered": offered, "breadcrumbs": [("Email notices", None)]},
    )


def notices_sent(request):
    sees_all = request.user.has_perm("dps.view_notice")
    rows = notices.Notice.objects.visible_to(request.user).select_related("recipient")
    page = Paginator(rows, SENT_PER_PAGE).get_page(params.page_number(request.GET))
    for notice in page:
        notice.kind_label = notices.kind_label(notice.kind)
    return render(
        request,
        "account/notices_sent.html",
        {
            "page": page,
            "sees_all": sees_all,
            "breadcrumbs": [
                ("Email notices", reverse("notice-preferences")),
                ("Sent", None),
            ],
        },
    )
