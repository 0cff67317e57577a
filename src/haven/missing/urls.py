from django.urls import path

from haven.missing.views import episodes, information, interviews

app_name = "missing"

urlpatterns = [
    path("", episodes.index, name="index"),
    path("episodes/new/", episodes.record, name="record"),
    path("episodes/<int:episode_id>/", episodes.episode, name="episode"),
    path("episodes/<int:episode_id>/change/", episodes.edit, name="edit"),
    path("episodes/<int:episode_id>/return/", episodes.record_return, name="return"),
    path("episodes/<int:episode_id>/child/", episodes.link_child, name="link-child"),
    path("episodes/<int:episode_id>/interview/take/", interviews.take, name="interview-take"),
    path("episodes/<int:episode_id>/interview/assign/", interviews.assign, name="interview-assign"),
    path("episodes/<int:episode_id>/interview/offer/", interviews.offer, name="interview-offer"),
    path(
        "episodes/<int:episode_id>/interview/not-offered/",
        interviews.not_offered,
        name="interview-not-offered",
    ),
    path(
        "episodes/<int:episode_id>/interview/",
        interviews.record_interview,
        name="interview-record",
    ),
    path(
        "episodes/<int:episode_id>/interview/file/",
        interviews.place_on_file,
        name="interview-file",
    ),
    path("information/", information.index, name="information"),
    path("information/children/", information.children, name="information-children"),
]
