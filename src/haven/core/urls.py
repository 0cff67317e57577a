from django.urls import path

from haven.core import views, work_views

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path("health/", views.health, name="health"),
    path("favicon.ico", views.favicon),
    path("work/", work_views.my_work, name="my-work"),
    path("work/team/", work_views.team_work, name="team-work"),
]
