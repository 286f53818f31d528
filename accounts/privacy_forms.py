"""Forms of "My data": deleting an account, a leader acting for a member, the
privacy policy. Validation only; the writes are in accounts.privacy."""

from django import forms
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from netvaerk.forms import MarkdownField, PlainTextField


class VisibilityForm(forms.ModelForm):
    """What other members see of me; one row, so ModelForm.save() is enough."""

    class Meta:
        model = User
        fields = [
            "show_in_directory",
            "show_company",
            "show_industry",
            "show_region",
            "show_skills",
        ]


class PostChoice:
    KEEP = "keep"
    DELETE = "delete"
    CHOICES = [
        (KEEP, _("Keep my posts, shown as “Former member” (name, profile and e-mail removed)")),
        (
            DELETE,
            _("Delete my posts too (others' replies stay; the thread shows a post was removed)"),
        ),
    ]


class DeleteAccountForm(forms.Form):
    """Re-authentication (password, and the two-factor code when it is on)
    plus the choice about posts."""

    posts = forms.ChoiceField(
        label=_("My posts in the forum and on the needs board"),
        choices=PostChoice.CHOICES,
        widget=forms.RadioSelect,
        initial=PostChoice.KEEP,
    )
    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    code = forms.CharField(
        label=_("Code from your authenticator app"),
        help_text=_("Or one of your recovery codes."),
        required=False,
        max_length=40,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )
    confirm = forms.BooleanField(
        label=_("I understand that my account is deleted for good"),
        error_messages={"required": _("Tick the box to confirm.")},
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        if not user.has_totp:
            del self.fields["code"]
        else:
            self.fields["code"].required = True

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("The password is not right."))
        return password

    def clean_code(self):
        """A code from the authenticator app, or one of the recovery codes."""
        from allauth.mfa.models import Authenticator
        from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
        from allauth.mfa.totp.internal.auth import TOTP

        code = "".join(self.cleaned_data["code"].split())
        kinds = {Authenticator.Type.TOTP: TOTP, Authenticator.Type.RECOVERY_CODES: RecoveryCodes}
        with transaction.atomic():  # a recovery code is used up under a row lock
            for authenticator in Authenticator.objects.filter(user=self.user, type__in=kinds):
                if kinds[authenticator.type](authenticator).validate_code(code):
                    return code
        raise forms.ValidationError(_("The code is not right."))

    @property
    def keep_posts(self) -> bool:
        return self.cleaned_data["posts"] == PostChoice.KEEP


class LeaderExportForm(forms.Form):
    reason = PlainTextField(
        label=_("Why (the member's request, e.g. the date of their e-mail)"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class LeaderDeleteForm(LeaderExportForm):
    posts = forms.ChoiceField(
        label=_("The member's posts"),
        choices=PostChoice.CHOICES,
        widget=forms.RadioSelect,
        initial=PostChoice.KEEP,
    )
    confirm = forms.BooleanField(
        label=_("I understand that the account is deleted for good"),
        error_messages={"required": _("Tick the box to confirm.")},
    )

    @property
    def keep_posts(self) -> bool:
        return self.cleaned_data["posts"] == PostChoice.KEEP


class PrivacyPolicyForm(forms.Form):
    body = MarkdownField(
        label=_("Privacy policy (Markdown)"),
        max_length=30_000,
        widget=forms.Textarea(attrs={"rows": 24}),
    )
