from django.urls import path

from haven.people.views import merge, person, search

app_name = "people"

urlpatterns = [
    path("", search.search, name="search"),
    path("new/", search.create, name="create"),
    path("duplicates/", merge.duplicates, name="duplicates"),
    path("duplicates/<int:candidate_id>/not-duplicate/", merge.not_duplicate, name="not-duplicate"),
    path("compare/", merge.compare, name="compare"),
    path("merges/<int:merge_id>/undo/", merge.merge_undo, name="merge-undo"),
    path("<int:person_id>/", person.person, name="person"),
    path("<int:person_id>/restricted/", person.restricted, name="restricted"),
    path("<int:person_id>/edit/", person.edit, name="edit"),
    path("<int:person_id>/addresses/new/", person.address_add, name="address-add"),
    path("<int:person_id>/names/new/", person.name_add, name="name-add"),
    path("<int:person_id>/relationships/new/", person.relationship_add, name="relationship-add"),
    path(
        "<int:person_id>/relationships/<int:relationship_id>/end/",
        person.relationship_end,
        name="relationship-end",
    ),
    path("<int:person_id>/merge/", merge.merge_with, name="merge-with"),
]
