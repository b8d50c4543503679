"""The Django admin in Swedish: how an administrator sets up boards, people and reports until
dedicated screens exist."""

from decimal import Decimal

from django import forms
from django.contrib import admin
from django.contrib.auth import admin as auth_admin
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.forms import Textarea, TextInput
from simple_history.admin import SimpleHistoryAdmin

from .access import lock_draft
from .models import (
    Board,
    Comment,
    CouncilAdministrator,
    CoverMemo,
    Membership,
    MemoAttachment,
    Municipality,
    Profile,
    ProposedDecision,
    ReminderLog,
    RenderedFile,
    Report,
    ReportEvent,
    ReportTemplate,
    ReportVersion,
    Responsibility,
    ReviewRefresh,
    ReviewResult,
    Section,
    Signatory,
    Unit,
)
from .numbers import normalise
from .services import create_report

# Filters for every row that belongs to one report: year, period and board of the report.
REPORT_FILTERS = ("report__year", "report__period", "report__board")

# Short text areas for text fields shown in tabular inlines.
SHORT_TEXT = {models.TextField: {"widget": Textarea(attrs={"rows": 2, "cols": 40})}}


class DecimalInput(TextInput):
    """A figure or amount shown the Swedish way without trailing zeros (``0,03``, not
    ``0.030000``); with ``localize`` the form field accepts a decimal comma or point."""

    def format_value(self, value):
        if isinstance(value, Decimal):
            value = normalise(value)
        return super().format_value(value)


# Decimal fields typed and shown the Swedish way, in narrow inputs.
DECIMALS = {
    models.DecimalField: {"localize": True, "widget": DecimalInput(attrs={"size": 12})},
}


def report_of(obj) -> Report | None:
    """The report an object of the admin belongs to, if any."""
    if obj is None:
        return None
    if isinstance(obj, Report):
        return obj
    for path in ("report", "cover_memo.report", "row.report", "table.report"):
        target = obj
        for name in path.split("."):
            target = getattr(target, name, None)
        if isinstance(target, Report):
            return target
    return None


def _lock_report_of(obj) -> None:
    report = report_of(obj)
    if report is not None and report.pk is not None:
        lock_draft(report)


FROZEN_MESSAGE = (
    "{report} har status ”{status}”: bara ett utkast kan ändras, och inget kan flyttas in i "
    "en rapport som inte är ett utkast."
)


class DraftOnlyForm:
    """Mixed into every admin form of report content: a row saved into a report that is not a
    draft (by adding it there, or by pointing its report, memo, budget row or table at another
    report's) is refused with a message at the form."""

    def _post_clean(self) -> None:
        super()._post_clean()
        if getattr(self, "cleaned_data", {}).get("DELETE"):
            return
        report = report_of(self.instance)
        if report is not None and report.pk is not None:
            status = Report.objects.filter(pk=report.pk).values_list("status", flat=True).first()
            if status not in (None, Report.Status.DRAFT):
                self.add_error(
                    None,
                    FROZEN_MESSAGE.format(report=report, status=Report.Status(status).label),
                )


def draft_only(form_class):
    """``form_class`` with ``DraftOnlyForm`` mixed in."""
    if issubclass(form_class, DraftOnlyForm):
        return form_class
    return type(f"DraftOnly{form_class.__name__}", (DraftOnlyForm, form_class), {})


class FrozenReportMixin:
    """Content of a report that is no longer a draft can be looked at, not changed: the admin
    obeys the same rule as the application's own forms and the import. Every form and every
    inline's form also refuses to save a row into such a report (``DraftOnlyForm``)."""

    def get_form(self, request, obj=None, **kwargs):
        kwargs["form"] = draft_only(kwargs.get("form", self.form))
        return super().get_form(request, obj, **kwargs)

    def get_formset(self, request, obj=None, **kwargs):
        kwargs["form"] = draft_only(kwargs.get("form", self.form))
        return super().get_formset(request, obj, **kwargs)

    def _frozen(self, obj) -> bool:
        report = report_of(obj)
        return report is not None and report.status != Report.Status.DRAFT

    def has_change_permission(self, request, obj=None) -> bool:
        return not self._frozen(obj) and super().has_change_permission(request, obj)

    # The permission checks above read the status without a lock; every write checks it
    # again under the report's row lock, in the admin's transaction (access.lock_draft).
    def save_model(self, request, obj, form, change: bool) -> None:
        _lock_report_of(obj)
        super().save_model(request, obj, form, change)

    def delete_model(self, request, obj) -> None:
        _lock_report_of(obj)
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset) -> None:
        with transaction.atomic():
            for obj in queryset:
                _lock_report_of(obj)
            super().delete_queryset(request, queryset)

    def has_delete_permission(self, request, obj=None) -> bool:
        return not self._frozen(obj) and super().has_delete_permission(request, obj)

    def has_add_permission(self, request, obj=None) -> bool:
        if self._frozen(obj):
            return False
        if isinstance(self, admin.options.InlineModelAdmin):
            return super().has_add_permission(request, obj)
        return super().has_add_permission(request)


class AuditedAdmin(FrozenReportMixin, SimpleHistoryAdmin):
    """For models with an audit trail: the "Historik" page lists every change, who made it and
    when, and shows what changed between two versions. Reverting is turned off
    (SIMPLE_HISTORY_REVERT_DISABLED): a change is always made forward, and recorded."""

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # simple-history only hides the revert button when reverting is disabled; a POST to
        # the old version's page would still write it. Refuse it here.
        if request.method == "POST" and self.revert_disabled(request):
            raise PermissionDenied("Historiken kan läsas men inte återställas.")
        return super().history_form_view(request, object_id, version_id, extra_context)


class ReadOnlyAdmin(admin.ModelAdmin):
    """For records that are written once by the application and never edited: view only."""

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class BoardInline(admin.TabularInline):
    model = Board
    fields = ["name", "administration"]
    extra = 0
    show_change_link = True


class CouncilAdministratorInline(admin.TabularInline):
    model = CouncilAdministrator
    autocomplete_fields = ["user"]
    extra = 0


@admin.register(CouncilAdministrator)
class CouncilAdministratorAdmin(AuditedAdmin):
    list_display = ["user", "municipality"]
    list_select_related = ["user", "municipality"]
    search_fields = ["user__username", "user__first_name", "user__last_name"]
    autocomplete_fields = ["user", "municipality"]


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = ["name"]
    search_fields = ["name"]
    inlines = [BoardInline, CouncilAdministratorInline]


class UnitInline(admin.TabularInline):
    model = Unit
    extra = 0
    show_change_link = True


class MembershipInline(admin.TabularInline):
    model = Membership
    autocomplete_fields = ["user"]
    extra = 0
    show_change_link = True


@admin.register(Board)
class BoardAdmin(AuditedAdmin):
    list_display = ["name", "administration", "municipality"]
    list_filter = ["municipality"]
    search_fields = ["name", "administration"]
    inlines = [UnitInline, MembershipInline]


@admin.register(Unit)
class UnitAdmin(AuditedAdmin):
    list_display = ["name", "board"]
    list_filter = ["board"]
    list_select_related = ["board"]
    search_fields = ["name", "board__name"]
    autocomplete_fields = ["board"]


class ResponsibilityInline(admin.TabularInline):
    model = Responsibility
    autocomplete_fields = ["area_goal", "board_goal", "operating_area"]
    extra = 0


@admin.register(Membership)
class MembershipAdmin(AuditedAdmin):
    list_display = ["user", "full_name", "board", "role"]
    list_filter = ["role", "board"]
    list_select_related = ["user", "board"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "board__name"]
    autocomplete_fields = ["user", "board"]
    inlines = [ResponsibilityInline]

    @admin.display(description="namn", ordering="user__last_name")
    def full_name(self, obj: Membership) -> str:
        return obj.user.get_full_name()


@admin.register(Responsibility)
class ResponsibilityAdmin(AuditedAdmin):
    list_display = ["user", "board", "item"]
    list_filter = ["membership__board"]
    list_select_related = [
        "membership__user",
        "membership__board",
        "area_goal",
        "board_goal",
        "operating_area",
    ]
    search_fields = [
        "membership__user__username",
        "membership__user__first_name",
        "membership__user__last_name",
        "area_goal__title",
        "board_goal__title",
        "operating_area__name",
    ]
    autocomplete_fields = ["membership", "area_goal", "board_goal", "operating_area"]

    @admin.display(description="användare", ordering="membership__user__username")
    def user(self, obj: Responsibility):
        return obj.membership.user

    @admin.display(description="nämnd", ordering="membership__board__name")
    def board(self, obj: Responsibility):
        return obj.membership.board

    @admin.display(description="ansvarar för")
    def item(self, obj: Responsibility):
        return obj.area_goal or obj.board_goal or obj.operating_area


class SectionInline(FrozenReportMixin, admin.StackedInline):
    model = Section
    fields = [("kind", "position", "ready"), "title", "assessment", "text"]
    extra = 0


class ReportEventInline(admin.TabularInline):
    model = ReportEvent
    fields = ["at", "from_status", "to_status", "user", "comment"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


class SectionListField(forms.CharField):
    """A template's sections (a list stored as JSON) edited one per line."""

    widget = forms.Textarea(attrs={"rows": 8})

    def prepare_value(self, value) -> str:
        if isinstance(value, list | tuple):
            return "\n".join(str(item) for item in value)
        return "" if value is None else value

    def to_python(self, value) -> list[str]:
        text = super().to_python(value)
        return [line.strip() for line in text.splitlines() if line.strip()]


class ReportTemplateForm(forms.ModelForm):
    sections = SectionListField(
        label="Avsnitt i ordning",
        help_text=ReportTemplate._meta.get_field("sections").help_text,
    )
    vb_economy = SectionListField(
        label="Ekonomins delavsnitt i verksamhetsberättelsen",
        required=False,
        help_text=ReportTemplate._meta.get_field("vb_economy").help_text,
    )
    tertial_economy = SectionListField(
        label="Ekonomins delavsnitt i tertialrapporten",
        required=False,
        help_text=ReportTemplate._meta.get_field("tertial_economy").help_text,
    )

    class Meta:
        model = ReportTemplate
        fields = [
            "name",
            "municipality",
            "board",
            "sections",
            "vb_economy",
            "tertial_economy",
            "tertial_wording",
            "unassessed_label",
        ]


@admin.register(ReportTemplate)
class ReportTemplateAdmin(AuditedAdmin):
    form = ReportTemplateForm
    list_display = ["name", "owner", "tertial_wording", "unassessed_label"]
    list_filter = ["municipality", "board", "tertial_wording"]
    list_select_related = ["municipality", "board"]
    search_fields = ["name"]
    autocomplete_fields = ["board"]

    @admin.display(description="kommun eller nämnd")
    def owner(self, obj: ReportTemplate) -> str:
        return str(obj.board or obj.municipality)


@admin.register(Report)
class ReportAdmin(AuditedAdmin):
    list_display = ["report_title", "owner", "status", "updated_at"]
    list_filter = ["year", "period", "status", "board"]
    list_select_related = ["board", "unit"]
    search_fields = ["board__name", "unit__name", "=year"]
    autocomplete_fields = ["board", "unit", "template"]
    # The workflow owns status and decision: it checks roles, records events and freezes
    # versions, so the admin only shows them.
    readonly_fields = ["status", "decision_date", "decision_paragraph", "created_at", "updated_at"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "board",
                    "unit",
                    "year",
                    "period",
                    "template",
                    "deadline",
                    "amount_unit",
                ],
                "description": (
                    "En ny rapport får en rad för varje mål, indikator, aktivitet och "
                    "verksamhetsområde i nämndens plan för året."
                ),
            },
        ),
        ("Status och beslut", {"fields": ["status", "decision_date", "decision_paragraph"]}),
        (
            "Övrigt",
            {
                "fields": ["source_anomalies", "created_at", "updated_at"],
                "classes": ["collapse"],
            },
        ),
    ]
    inlines = [SectionInline, ReportEventInline]

    @admin.display(description="rapport", ordering="-year")
    def report_title(self, obj: Report) -> str:
        return obj.title

    @admin.display(description="nämnd eller enhet", ordering="board__name")
    def owner(self, obj: Report) -> str:
        return obj.owner_name

    def save_model(self, request, obj: Report, form, change: bool) -> None:
        if change:
            super().save_model(request, obj, form, change)
            return
        # A new report is made by the same service as everywhere else, so that it holds the
        # year's plan; the fields of the form that the service does not set are saved after.
        created = create_report(obj.board, obj.year, obj.period, unit=obj.unit)
        obj.pk = created.pk
        obj.created_at = created.created_at
        obj.save()


class ProposedDecisionInline(FrozenReportMixin, admin.TabularInline):
    model = ProposedDecision
    formfield_overrides = SHORT_TEXT
    extra = 0


class SignatoryInline(FrozenReportMixin, admin.TabularInline):
    model = Signatory
    extra = 0


class MemoAttachmentInline(FrozenReportMixin, admin.TabularInline):
    model = MemoAttachment
    extra = 0


@admin.register(CoverMemo)
class CoverMemoAdmin(AuditedAdmin):
    list_display = ["__str__", "report", "dnr", "date", "case_officer", "ready"]
    list_filter = REPORT_FILTERS
    list_select_related = ["report__board", "report__unit"]
    search_fields = ["title", "dnr", "case_officer", "report__board__name"]
    autocomplete_fields = ["report"]
    inlines = [ProposedDecisionInline, SignatoryInline, MemoAttachmentInline]


class CoverMemoPartAdmin(AuditedAdmin):
    """The numbered parts of a cover memo, usually edited inline on the memo."""

    list_filter = ["cover_memo__report__year", "cover_memo__report__board"]
    list_select_related = ["cover_memo__report__board", "cover_memo__report__unit"]
    autocomplete_fields = ["cover_memo"]


@admin.register(ProposedDecision)
class ProposedDecisionAdmin(CoverMemoPartAdmin):
    list_display = ["position", "text", "cover_memo"]
    search_fields = ["text"]


@admin.register(Signatory)
class SignatoryAdmin(CoverMemoPartAdmin):
    list_display = ["name", "title", "position", "cover_memo"]
    search_fields = ["name", "title"]


@admin.register(MemoAttachment)
class MemoAttachmentAdmin(CoverMemoPartAdmin):
    list_display = ["title", "position", "cover_memo"]
    search_fields = ["title"]


@admin.register(Section)
class SectionAdmin(AuditedAdmin):
    list_display = ["__str__", "kind", "report", "position", "assessment", "ready"]
    list_filter = ["kind", *REPORT_FILTERS]
    list_select_related = ["report__board", "report__unit"]
    search_fields = ["title", "text", "report__board__name"]
    autocomplete_fields = ["report"]


@admin.register(ReportEvent)
class ReportEventAdmin(ReadOnlyAdmin):
    list_display = ["report", "from_status", "to_status", "user", "at"]
    list_filter = ["to_status", *REPORT_FILTERS]
    list_select_related = ["report__board", "report__unit", "user"]
    search_fields = ["report__board__name", "user__username", "comment"]
    date_hierarchy = "at"


@admin.register(ReportVersion)
class ReportVersionAdmin(ReadOnlyAdmin):
    list_display = ["report", "number", "approved_by", "approved_at"]
    list_filter = REPORT_FILTERS
    list_select_related = ["report__board", "report__unit", "approved_by"]
    search_fields = ["report__board__name", "data_sha256", "pdf_sha256"]
    fields = [
        "report",
        "number",
        "approved_by",
        "approved_at",
        "data_sha256",
        "pdf_sha256",
        "pdf_size",
    ]
    readonly_fields = fields

    @admin.display(description="PDF-storlek")
    def pdf_size(self, obj: ReportVersion) -> str:
        return f"{len(obj.pdf or b'') // 1024} kB"


@admin.register(RenderedFile)
class RenderedFileAdmin(ReadOnlyAdmin):
    """The rendered files kept in storage (a cache: a changed report gets a new file)."""

    list_display = ["report", "kind", "status", "requested_at", "finished_at"]
    list_filter = ["kind", "status", *REPORT_FILTERS]
    list_select_related = ["report__board", "report__unit"]
    search_fields = ["report__board__name", "key", "sha256"]
    fields = [
        "report",
        "kind",
        "status",
        "key",
        "file",
        "sha256",
        "error",
        "requested_at",
        "started_at",
        "finished_at",
    ]
    readonly_fields = fields


class UserMembershipInline(admin.TabularInline):
    model = Membership
    autocomplete_fields = ["board"]
    extra = 0
    verbose_name_plural = "roller i nämnder"


User = get_user_model()
admin.site.unregister(User)


@admin.register(User)
class UserAdmin(auth_admin.UserAdmin):
    """Django's user admin, with the person's roles on boards."""

    inlines = [UserMembershipInline]


@admin.register(ReviewResult)
class ReviewResultAdmin(ReadOnlyAdmin):
    """The review's stored result per report (``reporting.review.stored``): made by the rules,
    never typed in."""

    list_display = ["report", "errors", "warnings", "reviewed_at"]
    list_filter = REPORT_FILTERS
    list_select_related = ["report__board", "report__unit"]
    fields = ["report", "stamp", "errors", "warnings", "reviewed_at", "findings"]


@admin.register(ReviewRefresh)
class ReviewRefreshAdmin(ReadOnlyAdmin):
    """A refresh of a report's stored review waiting for the worker (``reporting.tasks``)."""

    list_display = ["report", "queued_at"]
    list_filter = REPORT_FILTERS
    list_select_related = ["report__board", "report__unit"]
    fields = ["report", "queued_at"]


@admin.register(Comment)
class CommentAdmin(ReadOnlyAdmin):
    """Comments are written and resolved in the application; here they can be looked up."""

    list_display = ["item_title", "report", "author", "addressee", "created_at", "resolved_at"]
    list_filter = [*REPORT_FILTERS, "resolved_at"]
    list_select_related = ["report__board", "report__unit", "author", "addressee"]
    search_fields = ["item_title", "text", "author__username"]


@admin.register(Profile)
class ProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "email_reminders"]
    list_filter = ["email_reminders"]
    search_fields = ["user__username", "user__email"]


@admin.register(ReminderLog)
class ReminderLogAdmin(ReadOnlyAdmin):
    list_display = ["sent_on", "kind", "report", "user"]
    list_filter = ["kind", "sent_on"]
    list_select_related = ["report__board", "report__unit", "user"]
