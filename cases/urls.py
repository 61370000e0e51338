from django.urls import path

from cases import views

app_name = "cases"

urlpatterns = [
    path("new/", views.report, name="report"),
    path("suggest/", views.suggest, name="suggest"),
    path("track/", views.track, name="track"),
    path("mine/", views.mine, name="mine"),
    path("done/<str:number>/", views.submitted, name="submitted"),
    path("public/<str:number>/", views.public, name="public"),
    path("public/<str:number>/act/", views.resident_act, name="resident_act"),
    path("<str:number>/", views.detail, name="detail"),
    path("<str:number>/act/", views.act, name="act"),
    path("<str:number>/agreement/", views.agreement, name="agreement"),
]
