"""The admin: the visibility layer applied to every model admin, the shared reference data
(boroughs and units, the product menu), and accounts and roles guarded against
self-escalation (rules in dps/grants.py).

The escalation guard runs twice: in form validation, so the administrator sees why, and again
after the save inside the admin's transaction, so a grant that slipped past the form is rolled
back.
"""

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django_otp.plugins.otp_totp.models import TOTPDevice
from simple_history.admin import SimpleHistoryAdmin

from dps.forms import bound_field
from dps.grants import (
    Access,
    access_differences,
    grants_record,
    group_grant_refusals,
    permission_names,
    role_permission_differences,
    user_grant_refusals,
)
from dps.models import Borough, Product
from dps.permissions import can_see_restricted
from dps.visibility import VisibleQuerySet


class VisibleRelatedFieldListFilter(admin.RelatedFieldListFilter):
    """A sidebar filter by a related record offers only the records this user may see."""

    def field_choices(self, field, request, model_admin):
        related = field.related_model._default_manager.all()
        if not isinstance(related, VisibleQuerySet):
            return super().field_choices(field, request, model_admin)
        ordering = self.field_admin_ordering(field, request, model_admin)
        related = related.within_clearance(request.user).order_by(*ordering)
        return [(record.pk, str(record)) for record in related]


class ServiceLimits:
    """The admin's forms keep the service's limits, like every other form (dps.forms): dates in
    the service's range, whole numbers that fit their column. Without them an administrator
    could save a milestone due 9999-12-31 that crashes every later calendar feed, or 10^12 in
    an integer column, a database error instead of a form error. For model admins and inlines.
    """

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        return bound_field(field) if field is not None else None


class TabularInline(ServiceLimits, admin.TabularInline):
    pass


class StackedInline(ServiceLimits, admin.StackedInline):
    pass


class VisibleModelAdmin(ServiceLimits, SimpleHistoryAdmin):
    """Every admin page reads through the visibility layer, like every other page: the admin is
    no back door to restricted records, nor to their names in a drop-down."""

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if isinstance(queryset, VisibleQuerySet):
            queryset = queryset.visible_to(request.user)
        # A change form reads each many-to-many link to show it; links to restricted-capable
        # records are read within the user's clearance, like the choices offered beside them.
        for field in self.model._meta.many_to_many:
            related = field.related_model._default_manager.all()
            if isinstance(related, VisibleQuerySet):
                queryset = queryset.prefetch_related(
                    Prefetch(field.name, related.within_clearance(request.user))
                )
        return queryset

    def get_list_filter(self, request):
        return [self._visible_filter(entry) for entry in super().get_list_filter(request)]

    def _visible_filter(self, entry):
        if isinstance(entry, str) and "__" not in entry:
            field = self.model._meta.get_field(entry)
            if field.is_relation:
                return (entry, VisibleRelatedFieldListFilter)
        return entry

    def _scoped_choices(self, db_field, request, kwargs):
        related = db_field.related_model._default_manager.all()
        if "queryset" not in kwargs and isinstance(related, VisibleQuerySet):
            # The form's own permission governs the record; the choices only hide restricted rows.
            kwargs["queryset"] = related.within_clearance(request.user)
        return kwargs

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        kwargs = self._scoped_choices(db_field, request, kwargs)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        kwargs = self._scoped_choices(db_field, request, kwargs)
        return super().formfield_for_manytomany(db_field, request, **kwargs)


@admin.register(Borough)
class BoroughAdmin(VisibleModelAdmin):
    list_display = ("name", "kind", "gss_code", "family_group", "active")
    list_filter = ("kind", "family_group", "active")
    search_fields = ("name", "gss_code")


@admin.register(Product)
class ProductAdmin(VisibleModelAdmin):
    list_display = ("code", "name", "diversity_reviewed_on", "active", "order")
    list_filter = ("active",)
    search_fields = ("code", "name")


User = get_user_model()

# What an account may do; nobody edits these on their own account.
ACCESS_FIELDS = ("is_superuser", "is_staff", "groups", "user_permissions")


def requested_access(user, cleaned_data):
    """The access the form asks for; a field the form does not show keeps its saved value."""
    saved = Access.of_user(user)
    saved_groups = user.groups.all() if user.pk else Group.objects.none()
    saved_permissions = user.user_permissions.all() if user.pk else Permission.objects.none()
    return Access.of(
        superuser=cleaned_data.get("is_superuser", saved.superuser),
        staff=cleaned_data.get("is_staff", saved.staff),
        groups=cleaned_data.get("groups", saved_groups),
        permissions=cleaned_data.get("user_permissions", saved_permissions),
    )


def beyond_reach(actor, user):
    """A cleared account, for an uncleared administrator: editing it (its password too) would
    let them take it over, so they may look but not change or delete it."""
    return not can_see_restricted(actor) and Access.of_user(user).cleared


admin.site.unregister(User)
admin.site.unregister(Group)


@admin.register(User)
class GuardedUserAdmin(ServiceLimits, UserAdmin):
    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if obj is not None and obj.pk == request.user.pk:
            readonly += ACCESS_FIELDS
        elif not can_see_restricted(request.user):
            readonly.append("is_superuser")
        return readonly

    def has_change_permission(self, request, obj=None):
        if obj is not None and beyond_reach(request.user, obj):
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and beyond_reach(request.user, obj):
            return False
        return super().has_delete_permission(request, obj)

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        actor = request.user

        class GuardedForm(form):
            def clean(self):
                cleaned_data = super().clean()
                self.access_before = Access.of_user(self.instance)
                after = requested_access(self.instance, cleaned_data)
                for refusal in user_grant_refusals(
                    actor=actor, user=self.instance, before=self.access_before, after=after
                ):
                    self.add_error(None, refusal)
                return cleaned_data

        return GuardedForm

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        user, before = form.instance, form.access_before
        after = Access.of_user(user)
        if user_grant_refusals(actor=request.user, user=user, before=before, after=after):
            raise PermissionDenied  # rolls the whole change back
        grants_record(actor=request.user, record=user, changes=access_differences(before, after))


@admin.register(Group)
class GuardedGroupAdmin(ServiceLimits, GroupAdmin):
    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        actor = request.user

        class GuardedForm(form):
            def clean(self):
                cleaned_data = super().clean()
                group = self.instance
                self.permissions_before = (
                    permission_names(group.permissions.all()) if group.pk else frozenset()
                )
                after = permission_names(cleaned_data.get("permissions", Permission.objects.none()))
                for refusal in group_grant_refusals(
                    actor=actor, group=group, before=self.permissions_before, after=after
                ):
                    self.add_error(None, refusal)
                return cleaned_data

        return GuardedForm

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        group, before = form.instance, form.permissions_before
        after = permission_names(group.permissions.all())
        if group_grant_refusals(actor=request.user, group=group, before=before, after=after):
            raise PermissionDenied  # rolls the whole change back
        grants_record(
            actor=request.user,
            record=group,
            changes=role_permission_differences(group, before, after),
        )


# django-otp's own admin shows any account's TOTP secret and QR code to whoever may view devices:
# one administrator could then pass another's second factor. Devices are managed by their owner
# (dps/second_factor.py) only. (INSTALLED_APPS lists dps after django_otp, so it is registered.)
if admin.site.is_registered(TOTPDevice):
    admin.site.unregister(TOTPDevice)
