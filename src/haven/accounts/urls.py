from django.contrib.auth import views as auth_views
from django.urls import path

from haven.accounts import views

app_name = "accounts"

urlpatterns = [
    path("sign-in/", views.sign_in, name="sign-in"),
    path("two-factor/", views.two_factor, name="two-factor"),
    path("two-factor/set-up/", views.two_factor_setup, name="two-factor-setup"),
    path("sign-out/", views.sign_out, name="sign-out"),
    path("signed-out/", views.signed_out, name="signed-out"),
    path("session/", views.session_status, name="session-status"),
    path("session/keep-alive/", views.keep_alive, name="keep-alive"),
    path("password-reset/", views.PasswordResetView.as_view(), name="password-reset"),
    path(
        "password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_sent.html"),
        name="password-reset-sent",
    ),
    path(
        "password-reset/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password-reset-confirm",
    ),
    path(
        "password-reset/done/",
        auth_views.PasswordResetCompleteView.as_view(
            template_name="accounts/password_reset_complete.html"
        ),
        name="password-reset-complete",
    ),
    path("users/", views.user_list, name="user-list"),
    path("users/new/", views.user_create, name="user-create"),
    path("users/<int:user_id>/", views.user_edit, name="user-edit"),
    path(
        "users/<int:user_id>/invitation/",
        views.user_invitation_resend,
        name="user-invitation-resend",
    ),
    path(
        "users/<int:user_id>/two-factor/reset/",
        views.user_two_factor_reset,
        name="user-two-factor-reset",
    ),
    path("roles/", views.role_list, name="role-list"),
    path("teams/", views.team_list, name="team-list"),
    path("teams/new/", views.team_edit, name="team-create"),
    path("teams/<int:team_id>/", views.team_edit, name="team-edit"),
    path("agencies/", views.agency_list, name="agency-list"),
    path("agencies/new/", views.agency_edit, name="agency-create"),
    path("agencies/<int:agency_id>/", views.agency_edit, name="agency-edit"),
]
