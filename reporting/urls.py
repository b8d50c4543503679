from django.urls import path

from . import comments, entry, imports, navigation, views, workspace

app_name = "reporting"

urlpatterns = [
    path("", views.report_list, name="report_list"),
    path("installningar/", views.preferences, name="preferences"),
    path("rapporter/<int:pk>/", views.report_detail, name="report_detail"),
    path("rapporter/<int:pk>/utskrift/", views.report_print, name="report_print"),
    path("rapporter/<int:pk>/pdf/", views.report_pdf, name="report_pdf"),
    path("rapporter/<int:pk>/excel/", views.report_xlsx, name="report_xlsx"),
    path("rapporter/<int:pk>/tjansteutlatande/pdf/", views.memo_pdf, name="memo_pdf"),
    path(
        "rapporter/<int:pk>/filer/<str:kind>/status/",
        views.rendered_file_status,
        name="rendered_file_status",
    ),
    path(
        "rapporter/<int:pk>/atgard/<str:name>/",
        views.report_transition,
        name="report_transition",
    ),
    path("rapporter/<int:pk>/granskning/", views.report_review, name="report_review"),
    path(
        "rapporter/<int:pk>/granskning/sammanfattning/",
        views.review_summary,
        name="review_summary",
    ),
    path("rapporter/<int:pk>/versioner/<int:number>/pdf/", views.version_pdf, name="version_pdf"),
    path(
        "rapporter/<int:pk>/versioner/<int:number>/excel/",
        views.version_xlsx,
        name="version_xlsx",
    ),
    path(
        "rapporter/<int:pk>/versioner/<int:number>/pdf/status/",
        views.version_pdf_status,
        name="version_pdf_status",
    ),
    path(
        "rapporter/<int:pk>/versioner/<int:number>/json/",
        views.version_json,
        name="version_json",
    ),
    path("rapporter/<int:pk>/historik/", views.report_history, name="report_history"),
    path(
        "rapporter/<int:pk>/historik/<str:model>/<int:item_pk>/",
        views.item_history,
        name="item_history",
    ),
    path(
        "rapporter/<int:pk>/kommentarer/<str:key>/",
        comments.item_comments,
        name="item_comments",
    ),
    path(
        "rapporter/<int:pk>/kommentarer/<int:comment_pk>/svar/",
        comments.comment_reply,
        name="comment_reply",
    ),
    path(
        "rapporter/<int:pk>/kommentarer/<int:comment_pk>/lost/",
        comments.comment_resolve,
        name="comment_resolve",
    ),
    path("rapporter/<int:pk>/arbeta/", workspace.workspace, name="workspace"),
    path("rapporter/<int:pk>/arbeta/steg/", navigation.item_step, name="item_step"),
    path("rapporter/<int:pk>/excel/budgetmall/", imports.budget_template, name="budget_template"),
    path("rapporter/<int:pk>/excel/budget/", imports.budget_import, name="budget_import"),
    path("rapporter/<int:pk>/excel/planmall/", imports.plan_template, name="plan_template"),
    path("rapporter/<int:pk>/excel/plan/", imports.plan_import, name="plan_import"),
    path("rapporter/<int:pk>/nasta-rapport/", workspace.next_report, name="next_report"),
    path("rapporter/<int:pk>/sammanfattning/", entry.summary_edit, name="summary_edit"),
    path(
        "rapporter/<int:pk>/intern-kontroll/",
        entry.internal_control_edit,
        name="internal_control_edit",
    ),
    path("rapporter/<int:pk>/avsnitt/nytt/", entry.section_create, name="section_create"),
    path("rapporter/<int:pk>/avsnitt/<int:section_pk>/", entry.section_edit, name="section_edit"),
    path(
        "rapporter/<int:pk>/avsnitt/<int:section_pk>/ta-bort/",
        entry.section_delete,
        name="section_delete",
    ),
    path("rapporter/<int:pk>/tjansteutlatande/", entry.cover_memo_edit, name="cover_memo_edit"),
]
