import re

from allauth.account.forms import SignupForm as AllauthSignupForm
from django import forms
from django.contrib.auth.hashers import make_password
from django.urls import reverse_lazy
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from accounts.models import HANDLE_PATTERN, Role, User, is_reserved_handle, names_a_role
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


def clean_display_name(name: str) -> str:
    if names_a_role(name):
        raise forms.ValidationError(
            _("Your name may not look like a role on the site (moderator, admin …).")
        )
    return name


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

    def clean_display_name(self):
        return clean_display_name(self.cleaned_data["display_name"])

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
    avatar = forms.FileField(
        label=_("Your picture"),
        required=False,
        help_text=_("A photo of you, so that members recognise you. It is cropped to a square."),
        widget=forms.FileInput(attrs={"accept": "image/jpeg,image/png,image/webp,image/gif"}),
    )
    remove_avatar = forms.BooleanField(
        label=_("Remove my picture (show my initials)"), required=False
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
            "help_requests",
            "help_requests_per_week",
            "help_requests_paused_until",
        ]
        widgets = {
            "help_requests_paused_until": forms.DateInput(
                attrs={"type": "date"}, format="%Y-%m-%d"
            ),
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
        "help_requests",
        "help_requests_per_week",
        "help_requests_paused_until",
        "avatar",
        "remove_avatar",
        "notification_email",
        "language",
    ]

    PRIVATE_FIELDS = (
        "notification_email",
        "language",
        "help_requests",
        "help_requests_per_week",
        "help_requests_paused_until",
    )

    def __init__(self, *args, public: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("notification_email", "language", "handle", "help_requests_per_week"):
            self.fields[name].required = False
        self.fields["skills_text"].help_text = _(
            "Separate with commas, e.g. bookkeeping, VAT, webshops (at most %(count)s)."
        ) % {"count": MAX_SKILLS}
        if self.instance.pk:
            self.initial["skills_text"] = ", ".join(s.name for s in self.instance.skills.all())
        if not public:  # silenced: what others read stays as it is
            for name, field in self.fields.items():
                if name not in self.PRIVATE_FIELDS:
                    field.disabled = True

    def clean_help_requests_per_week(self):
        value = self.cleaned_data["help_requests_per_week"]
        return self.instance.help_requests_per_week if value is None else value

    def clean_avatar(self):
        from netvaerk.uploads import UploadRefused, make_avatar

        uploaded = self.cleaned_data.get("avatar")
        if not uploaded:
            return None
        try:
            return make_avatar(uploaded)
        except UploadRefused as refusal:
            raise forms.ValidationError(str(refusal)) from refusal

    def clean_handle(self):
        handle = (self.cleaned_data["handle"] or "").lstrip("@").lower()
        if not handle:
            return self.instance.handle
        if not re.fullmatch(HANDLE_PATTERN, handle):
            raise forms.ValidationError(
                _("Use 2–39 characters: lowercase a–z, digits and hyphens.")
            )
        if is_reserved_handle(handle) and handle != self.instance.handle:
            raise forms.ValidationError(_("That handle is reserved. Please choose another."))
        if User.objects.filter(handle=handle).exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(_("Another member already uses that handle."))
        return handle

    def clean_display_name(self):
        if self.fields["display_name"].disabled:
            return self.cleaned_data["display_name"]
        return clean_display_name(self.cleaned_data["display_name"])

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


MEMBER_CHOICES_SHOWN = 6


class MemberInput(forms.TextInput):
    """A text input for a member, with suggestions as one types: htmx asks
    `accounts:member_suggest` and fills the <datalist> the browser offers."""

    def __init__(self, attrs=None):
        super().__init__(
            {
                "autocomplete": "off",
                "spellcheck": "false",
                "data-hx-trigger": "input changed delay:300ms",
                **(attrs or {}),
            }
        )

    def render(self, name, value, attrs=None, renderer=None):
        attrs = dict(attrs or {})
        list_id = f"{attrs.get('id') or 'id_' + name}-suggestions"
        attrs.update(
            {
                "list": list_id,
                "data-hx-get": str(reverse_lazy("accounts:member_suggest")),
                "data-hx-target": f"#{list_id}",
                "data-hx-swap": "innerHTML",
            }
        )
        html = super().render(name, value, attrs, renderer)
        return format_html('{}<datalist id="{}"></datalist>', html, list_id)


class MemberField(OneLineField):
    """One member, by name, @handle or (with `allow_email`) e-mail address.
    Cleans to the User; several matches are listed in the error, to pick from
    (the suggestions without JavaScript)."""

    widget = MemberInput

    def __init__(self, *, queryset=None, allow_email=False, **kwargs):
        kwargs.setdefault("max_length", 254)
        kwargs.setdefault(
            "help_text",
            _("A name, an @handle or an email address.")
            if allow_email
            else _("A name or an @handle, as shown on the member's profile."),
        )
        super().__init__(**kwargs)
        self.queryset = queryset
        self.allow_email = allow_email

    def clean(self, value):
        text = super().clean(value)
        if not text:
            return None
        queryset = self.queryset if self.queryset is not None else User.objects.members()
        matches = list(
            queryset.matching(text, allow_email=self.allow_email).order_by("display_name", "pk")[
                : MEMBER_CHOICES_SHOWN + 1
            ]
        )
        if len(matches) == 1:
            return matches[0]
        if not matches:
            raise forms.ValidationError(
                _("No active member is called “%(text)s”.") % {"text": text}, code="unknown"
            )
        names = ", ".join(f"{m.display_name} (@{m.handle})" for m in matches[:MEMBER_CHOICES_SHOWN])
        raise forms.ValidationError(
            _("Several members match: %(names)s. Type the @handle of the one you mean.")
            % {"names": names},
            code="ambiguous",
        )


class GrantRoleForm(forms.Form):
    # Named "email" for the links that fill it in (?email=…); takes a name or @handle too.
    email = MemberField(label=_("Member"), allow_email=True)
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)

    def clean(self):
        cleaned = super().clean()
        member = cleaned.get("email")
        role = cleaned.get("role")
        if not member or not role:
            return cleaned
        if member.role_assignments.filter(role=role).exists():
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
