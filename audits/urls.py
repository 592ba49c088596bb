"""The audits app's addresses, in two namespaces: `audits` (allocation, under /audits/)
and `audit` (the audit and its review, under /audit/)."""

from django.urls import include, path, register_converter

from .converters import MonthConverter
from .views import (
    allocation,
    audit,
    changes,
    documents,
    form_templates,
    pathway,
    review,
    thematic,
)

register_converter(MonthConverter, "month")

allocation_patterns = [
    path("mine/", allocation.my_allocations, name="mine"),
    path("allocation/", allocation.allocation_index, name="allocation-index"),
    path("allocation/<month:period>/", allocation.allocation_review, name="review"),
    path("allocation/<month:period>/sending/", allocation.allocation_sending, name="sending"),
    path(
        "allocation/<month:period>/sending.json",
        allocation.allocation_sending_progress,
        name="sending-progress",
    ),
    path(
        "allocation/<month:period>/export.<str:fmt>",
        allocation.allocation_export,
        name="review-export",
    ),
    path(
        "allocation/<month:period>/place/<int:case_id>/",
        allocation.allocation_place,
        name="place",
    ),
    path("allocation/thematic/<int:pk>/", thematic.thematic_allocation, name="thematic"),
    path("allocations/<int:pk>/", allocation.allocation_detail, name="allocation"),
    path("allocations/<int:pk>/move/", allocation.allocation_move, name="move"),
    path("allocations/<int:pk>/exemption/", allocation.exemption_request, name="exemption-request"),
    path("exemptions/", allocation.exemption_list, name="exemptions"),
    path("exemptions/<int:pk>/", allocation.exemption_decide, name="exemption-decide"),
    path("completion/<month:period>/", allocation.completion, name="completion"),
    path(
        "completion/<month:period>/export.<str:fmt>",
        allocation.completion_export,
        name="completion-export",
    ),
]

audit_patterns = [
    path("allocation/<int:allocation_pk>/", audit.for_allocation, name="for-allocation"),
    path("<int:pk>/", audit.task_list, name="task-list"),
    path("<int:pk>/section/<slug:key>/", audit.section, name="section"),
    path("<int:pk>/autosave/<slug:part>/", audit.autosave, name="autosave"),
    path("<int:pk>/views/", audit.views_page, name="views"),
    path("<int:pk>/overall/", audit.overall_page, name="overall"),
    path("<int:pk>/actions/", audit.actions_page, name="actions"),
    path("<int:pk>/conversations/", audit.conversations_page, name="conversations"),
    path("<int:pk>/submit/", audit.submit, name="submit"),
    path("<int:pk>/share/", review.share, name="share"),
    path("<int:pk>/comment/", review.comment, name="comment"),
    path("<int:pk>/comment/<int:comment_pk>/respond/", review.respond, name="respond"),
    path(
        "<int:pk>/comment/<int:comment_pk>/moderation/",
        review.challenge_moderation,
        name="challenge-moderation",
    ),
    path("<int:pk>/review-session/", review.review_session, name="review-session"),
    path("<int:pk>/moderation/assign/", review.moderation_assign, name="moderation-assign"),
    path("<int:pk>/moderation/decide/", review.moderation_decide, name="moderation-decide"),
    path("<int:pk>/qa/", review.qa_check, name="qa-check"),
    path("<int:pk>/supervision/", review.supervision, name="supervision"),
    path("<int:pk>/safeguarding/", audit.safeguarding, name="safeguarding"),
    path("<int:pk>/iro/", audit.iro, name="iro"),
    path("<int:pk>/changes/", changes.changes_page, name="changes"),
    path("<int:pk>/pdf/", audit.pdf, name="pdf"),
    path("<int:pk>/word/", documents.audit_word, name="word"),
    path("pair/<uuid:group>/", review.consensus, name="consensus"),
    path("forms/", form_templates.form_list, name="forms"),
    path("forms/themes/", form_templates.themes, name="themes"),
    path("forms/<int:version_pk>/", form_templates.form_preview, name="form-preview"),
    path("forms/<int:version_pk>/action/", form_templates.form_action, name="form-action"),
    path("forms/<int:version_pk>/edit/", form_templates.form_edit, name="form-edit"),
    path("qa/", review.qa_queue, name="qa-queue"),
    path("pathways/", pathway.pathway_list, name="pathways"),
    path("pathways/<int:pk>/", pathway.pathway_detail, name="pathway"),
]

urlpatterns = [
    path("audits/", include((allocation_patterns, "audits"))),
    path("audit/", include((audit_patterns, "audit"))),
]
