from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django import forms
from django.contrib.auth import authenticate
from django.contrib.auth.forms import PasswordResetForm, SetPasswordForm
from django.http import HttpRequest

from haven.accounts.models import Agency, Team, User
from haven.accounts.roles import Role
from haven.accounts.services import roles_problem
from haven.core.actor import Actor
from haven.core.forms import choice_field, model_choice_field


class SignInForm(forms.Form):
    email = forms.EmailField(
        label="Email address",
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "username", "spellcheck": "false"}),
        error_messages={
            "required": "Enter your email address",
            "invalid": "Enter an email address in the correct format, like name@example.org",
        },
    )
    password = forms.CharField(
        label="Password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": "Enter your password"},
    )

    def __init__(self, request: HttpRequest, *args: Any, **kwargs: Any) -> None:
        self.request = request
        self.user: User | None = None
        super().__init__(*args, **kwargs)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        email, password = cleaned.get("email"), cleaned.get("password")
        if email and password:
            user = authenticate(self.request, email=email.lower(), password=password)
            if user is None:
                # One message for both, so the form does not reveal which accounts exist.
                raise forms.ValidationError(
                    "Enter a correct email address and password", code="invalid_login"
                )
            self.user = user
        return cleaned


class TokenForm(forms.Form):
    token = forms.CharField(
        label="Code from your authenticator app",
        help_text="The 6-digit code shown in the app, like 123456",
        max_length=8,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "class": "govuk-input--width-5",
                "spellcheck": "false",
            }
        ),
        error_messages={"required": "Enter the 6-digit code from your authenticator app"},
    )

    def __init__(self, *args: Any, device: Any, **kwargs: Any) -> None:
        self.device = device
        super().__init__(*args, **kwargs)

    def clean_token(self) -> str:
        token = "".join(self.cleaned_data["token"].split())
        if not token.isdigit() or len(token) != 6:
            raise forms.ValidationError("Enter the 6 digits of the code, like 123456")
        verify_allowed, _ = self.device.verify_is_allowed()
        if not verify_allowed:
            raise forms.ValidationError(
                "Wait a few seconds after a wrong code, then enter the newest code"
            )
        if not self.device.verify_token(token):
            raise forms.ValidationError(
                "The code is not right or has expired. Enter the newest code from the app"
            )
        return token


class GovukPasswordResetForm(PasswordResetForm):
    """Forgotten password. Unlike Django's, it also answers an invited person who has not yet
    chosen a password (their password is unusable until they do): otherwise a lost or expired
    invitation would leave them no way in."""

    email = forms.EmailField(
        label="Email address",
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
        error_messages={
            "required": "Enter your email address",
            "invalid": "Enter an email address in the correct format, like name@example.org",
        },
    )

    def get_users(self, email: str) -> Iterator[Any]:
        """Active accounts with this address that have a password or are still invited (never
        signed in). An account switched to single sign-on after signing in is left alone."""
        accounts = User._default_manager.filter(email__iexact=email, is_active=True)
        return (
            account
            for account in accounts
            if account.email.casefold() == email.casefold()
            and (account.has_usable_password() or account.last_login is None)
        )


class GovukSetPasswordForm(SetPasswordForm):
    """A new password, checked against the NCSC rules; no complexity games."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].label = "New password"
        self.fields["new_password1"].help_text = (
            "At least 12 characters. Three random words make a strong password that is easy "
            "to remember."
        )
        self.fields["new_password1"].error_messages["required"] = "Enter a new password"
        self.fields["new_password2"].label = "Confirm new password"
        self.fields["new_password2"].help_text = ""
        self.fields["new_password2"].error_messages["required"] = "Confirm your new password"


class UserForm(forms.ModelForm):
    """An administrator's form for a person's account and roles."""

    roles = forms.MultipleChoiceField(
        label="Roles",
        choices=Role.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Select at least one role"},
    )

    class Meta:
        model = User
        fields = ["full_name", "email", "job_title", "team", "agency", "is_active"]
        labels = {
            "full_name": "Full name",
            "email": "Email address",
            "job_title": "Job title",
            "is_active": "Account is active (the person can sign in)",
        }
        error_messages = {
            "full_name": {"required": "Enter the person's full name"},
            "email": {
                "required": "Enter the person's email address",
                "invalid": "Enter an email address in the correct format, like name@example.org",
                "unique": "There is already an account with this email address",
            },
        }
        widgets = {"email": forms.EmailInput(attrs={"spellcheck": "false"})}

    def __init__(self, *args: Any, actor: Actor, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.actor = actor
        model_choice_field(self, "team").queryset = Team.objects.filter(is_active=True)
        model_choice_field(self, "team").empty_label = "No team"
        model_choice_field(self, "agency").queryset = Agency.objects.filter(is_active=True)
        model_choice_field(self, "agency").empty_label = "Not a partner"
        self.fields["agency"].help_text = "Only for partner agency users."
        if self.instance.pk:
            self.initial["roles"] = [role.value for role in self.instance.roles]
            if actor.user is not None and actor.user.pk == self.instance.pk:
                self.fields["roles"].disabled = True
                self.fields[
                    "roles"
                ].help_text = "You cannot change your own roles: ask another administrator."

    def clean_email(self) -> str:
        return self.cleaned_data["email"].strip().lower()

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        roles = set(cleaned.get("roles") or [])
        agency = cleaned.get("agency")
        if Role.PARTNER.value in roles and agency is None:
            self.add_error("agency", "Select the agency this partner works for")
        if agency is not None and Role.PARTNER.value not in roles:
            self.add_error("agency", "Only partner agency users belong to an agency")
        if Role.PARTNER.value in roles and len(roles) > 1:
            self.add_error("roles", "A partner agency user cannot also hold a council role")
        elif roles:
            account = self.instance if self.instance.pk else User()
            problem = roles_problem(actor=self.actor, user=account, roles=roles)
            if problem:
                self.add_error("roles", problem)
        return cleaned


class TeamForm(forms.ModelForm):
    class Meta:
        model = Team
        fields = ["name", "kind", "manager", "is_active"]
        labels = {
            "name": "Team name",
            "kind": "Type of team",
            "manager": "Team manager",
            "is_active": "Team is active",
        }
        error_messages = {
            "name": {
                "required": "Enter the team's name",
                "unique": "There is already a team with this name",
            },
            "kind": {"required": "Select the type of team"},
        }
        widgets = {"kind": forms.RadioSelect}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choice_field(self, "kind").choices = Team.Kind.choices
        model_choice_field(self, "manager").queryset = User.objects.filter(
            is_active=True, groups__name=Role.TEAM_MANAGER.label
        )
        model_choice_field(self, "manager").empty_label = "No manager yet"


class AgencyForm(forms.ModelForm):
    class Meta:
        model = Agency
        fields = ["name", "kind", "is_active"]
        labels = {"name": "Agency name", "kind": "Type of agency", "is_active": "Agency is active"}
        error_messages = {
            "name": {
                "required": "Enter the agency's name",
                "unique": "There is already an agency with this name",
            },
            "kind": {"required": "Select the type of agency"},
        }
        widgets = {"kind": forms.RadioSelect}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choice_field(self, "kind").choices = Agency.Kind.choices
