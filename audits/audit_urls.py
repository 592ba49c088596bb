from django.urls import path

from . import audit_views as views
from .docx_views import audit_word

app_name = "audit"
urlpatterns = [
    path("allocation/<int:allocation_pk>/", views.for_allocation, name="for-allocation"),
    path("<int:pk>/", views.task_list, name="task-list"),
    path("<int:pk>/section/<slug:key>/", views.section, name="section"),
    path("<int:pk>/autosave/<slug:part>/", views.autosave, name="autosave"),
    path("<int:pk>/views/", views.views_page, name="views"),
    path("<int:pk>/overall/", views.overall_page, name="overall"),
    path("<int:pk>/actions/", views.actions_page, name="actions"),
    path("<int:pk>/conversations/", views.conversations_page, name="conversations"),
    path("<int:pk>/submit/", views.submit, name="submit"),
    path("<int:pk>/share/", views.share, name="share"),
    path("<int:pk>/comment/", views.comment, name="comment"),
    path("<int:pk>/comment/<int:comment_pk>/respond/", views.respond, name="respond"),
    path("<int:pk>/moderation/assign/", views.moderation_assign, name="moderation-assign"),
    path("<int:pk>/moderation/decide/", views.moderation_decide, name="moderation-decide"),
    path("<int:pk>/qa/", views.qa_check, name="qa-check"),
    path("<int:pk>/supervision/", views.supervision, name="supervision"),
    path("<int:pk>/safeguarding/", views.safeguarding, name="safeguarding"),
    path("<int:pk>/iro/", views.iro, name="iro"),
    path("<int:pk>/pdf/", views.pdf, name="pdf"),
    path("<int:pk>/word/", audit_word, name="word"),
    path("pair/<uuid:group>/", views.consensus, name="consensus"),
    path("forms/", views.form_list, name="forms"),
    path("forms/themes/", views.themes, name="themes"),
    path("forms/<int:version_pk>/", views.form_preview, name="form-preview"),
    path("forms/<int:version_pk>/action/", views.form_action, name="form-action"),
    path("forms/<int:version_pk>/edit/", views.form_edit, name="form-edit"),
    path("qa/", views.qa_queue, name="qa-queue"),
]
