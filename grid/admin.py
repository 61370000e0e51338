from django.contrib import admin

from grid.models import Person, Region, Role, Unit


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "kind", "parent", "has_boundary", "is_demo"]
    list_filter = ["kind", "is_demo"]
    search_fields = ["name", "code"]

    @admin.display(boolean=True, description="有边界")
    def has_boundary(self, obj: Region) -> bool:
        return obj.boundary is not None


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "region", "is_demo"]
    list_filter = ["kind", "is_demo"]
    search_fields = ["code", "name"]
    filter_horizontal = ["compounds"]


class RoleInline(admin.TabularInline):
    model = Role
    extra = 0
    autocomplete_fields = ["unit", "region"]


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["name", "phone", "home", "is_party_member", "is_demo"]
    search_fields = ["name", "phone"]
    list_filter = ["is_demo", "is_party_member"]
    inlines = [RoleInline]
