import re

from allauth.account.forms import SignupForm as AllauthSignupForm
from django import forms
from django.contrib.auth.hashers import make_password
from django.urls import reverse_lazy
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from accounts.models import HANDLE_PATTERN, Role, User
from accounts.services import MAX_SKILLS, parse_skills
from netvaerk.forms import MarkdownField, OneLineField, PlainTextField

NAME_REQUIRED = _("The name must not be empty.")


def _guidelines_label():
    return format_html(
        '{} <a href="{}" target="_blank" rel="noopener">{}</a>',
        _("I have read and accept the"),
        reverse_lazy("accounts:guidelines"),
        _("community guidelines"),
    )


class SignupForm(AllauthSignupForm):
    """allauth's sign-up form plus a display name and the guidelines (ACCOUNT_FORMS)."""

    display_name = OneLineField(
        label=_("Your name"),
        max_length=80,
        error_messages={"required": NAME_REQUIRED},
        help_text=_("Your name as other members see it."),
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    accept_guidelines = forms.BooleanField(
        label=_("I accept the community guidelines"),
        error_messages={"required": _("You must accept the community guidelines to join.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["accept_guidelines"].label = _guidelines_label()
        self.fields["accept_guidelines"].help_text = format_html(
            '{} <a href="{}" target="_blank" rel="noopener">{}</a>.',
            _("What we store about you, why and for how long:"),
            reverse_lazy("accounts:privacy_policy"),
            _("privacy policy"),
        )
        self.order_fields(["display_name", "email", "password1", "password2", "accept_guidelines"])

    def try_save(self, request):
        """An address that already has an account gets a mail instead of a
        second account (ACCOUNT_PREVENT_ENUMERATION). Hash the password all the
        same: the hash is most of a sign-up's time, and without it the answer
        would come faster and tell that the address belongs to a member."""
        if self.account_already_exists:
            make_password(self.cleaned_data.get("password1"))
        return super().try_save(request)


class ProfileForm(forms.ModelForm):
    skills_text = OneLineField(
        label=_("I can help with"),
        required=False,
        max_length=800,
    )

    class Meta:
        model = User
        fields = [
            "display_name",
            "handle",
            "company",
            "industry",
            "region",
            "website",
            "looking_for",
            "bio",
            "notification_email",
            "language",
        ]
        widgets = {
            "display_name": forms.TextInput(attrs={"autocomplete": "name"}),
            "company": forms.TextInput(attrs={"autocomplete": "organization"}),
            "website": forms.URLInput(attrs={"autocomplete": "url"}),
            "looking_for": forms.Textarea(attrs={"rows": 3}),
            "bio": forms.Textarea(attrs={"rows": 5}),
        }
        field_classes = {
            "display_name": OneLineField,
            "handle": OneLineField,
            "company": OneLineField,
            "industry": OneLineField,
            "looking_for": PlainTextField,
            "bio": PlainTextField,
        }
        error_messages = {"display_name": {"required": NAME_REQUIRED}}

    field_order = [
        "display_name",
        "handle",
        "company",
        "industry",
        "region",
        "skills_text",
        "looking_for",
        "bio",
        "website",
        "notification_email",
        "language",
    ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("notification_email", "language", "handle"):
            self.fields[name].required = False
        self.fields["skills_text"].help_text = _(
            "Separate with commas, e.g. bookkeeping, VAT, webshops (at most %(count)s)."
        ) % {"count": MAX_SKILLS}
        if self.instance.pk and not self.is_bound:
            self.initial["skills_text"] = ", ".join(s.name for s in self.instance.skills.all())

    def clean_handle(self):
        handle = (self.cleaned_data["handle"] or "").lstrip("@").lower()
        if not handle:
            return self.instance.handle
        if not re.fullmatch(HANDLE_PATTERN, handle):
            raise forms.ValidationError(
                _("Use 2–39 characters: lowercase a–z, digits and hyphens.")
            )
        if User.objects.filter(handle=handle).exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(_("Another member already uses that handle."))
        return handle

    def clean_notification_email(self):
        return self.cleaned_data["notification_email"] or self.instance.notification_email

    def clean_language(self):
        return self.cleaned_data["language"] or self.instance.language

    def clean_skills_text(self):
        skills = parse_skills(self.cleaned_data["skills_text"])
        if len(skills) > MAX_SKILLS:
            raise forms.ValidationError(
                _("Please list at most %(count)s skills.") % {"count": MAX_SKILLS}
            )
        return skills


class MemberFilterForm(forms.Form):
    q = OneLineField(label=_("Search members"), required=False, max_length=100)
    region = forms.ChoiceField(
        label=_("Region"), required=False, widget=forms.Select(attrs={"class": "form-select"})
    )
    skill = forms.SlugField(required=False, allow_unicode=True, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from accounts.models import Region

        self.fields["region"].choices = [("", _("All regions")), *Region.choices]


class GrantRoleForm(forms.Form):
    email = forms.EmailField(
        label=_("Member's email address"), max_length=254, widget=forms.EmailInput()
    )
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)

    def clean(self):
        cleaned = super().clean()
        email = cleaned.get("email")
        role = cleaned.get("role")
        if not email or not role:
            return cleaned
        member = User.objects.members().filter(email__iexact=email).first()
        if member is None:
            self.add_error("email", _("No active member has that email address."))
        elif member.role_assignments.filter(role=role).exists():
            self.add_error(
                "role",
                _("%(name)s is already %(role)s.")
                % {"name": member, "role": Role(role).label.lower()},
            )
        cleaned["member"] = member
        return cleaned


class GuidelinesForm(forms.Form):
    body = MarkdownField(
        label=_("Guidelines (Markdown)"),
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 20}),
    )
