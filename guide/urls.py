from django.urls import path

from guide import views

app_name = "guide"

urlpatterns = [
    path("", views.home, name="home"),
    path("guide/departments/<str:code>/", views.department, name="department"),
    path("guide/<str:code>/", views.matter, name="matter"),
    path("guide/<str:code>/ask/", views.ask, name="ask"),
    path("guide/<str:code>/checklist/<slug:key>/", views.checklist, name="checklist"),
    path("guide/<str:code>/checklist/<slug:key>/print/", views.checklist_print, name="checklist_print"),
    path("guide/<str:code>/checklist/<slug:key>/pdf/", views.checklist_pdf, name="checklist_pdf"),
]
