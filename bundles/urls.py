from django.urls import path

from bundles import views

app_name = "bundles"

urlpatterns = [
    path("", views.index, name="index"),
    path("<slug:code>/", views.detail, name="detail"),
    path("<slug:code>/ask/", views.ask, name="ask"),
    path("<slug:code>/checklist/", views.checklist, name="checklist"),
    path("<slug:code>/checklist/print/", views.checklist_print, name="checklist_print"),
    path("<slug:code>/checklist/pdf/", views.checklist_pdf, name="checklist_pdf"),
    path("<slug:code>/form/", views.form_print, name="form"),
    path("<slug:code>/form/pdf/", views.form_pdf, name="form_pdf"),
]
