"""Admin for the reference data every app shares: boroughs and units, the product menu."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from dps.models import Borough, Product
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


class VisibleModelAdmin(SimpleHistoryAdmin):
    """Every admin page reads through the visibility layer, like every other page: the admin is
    no back door to restricted records, nor to their names in a drop-down."""

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if isinstance(queryset, VisibleQuerySet):
            return queryset.visible_to(request.user)
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
