import re

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Exists, OuterRef, Prefetch, Q, StringAgg, Subquery, Value
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from accounts.extensions import audit_action_choices, skill_matcher
from netvaerk.urlkit import fast_reverse

HANDLE_PATTERN = r"[a-z0-9][a-z0-9-]{1,38}"

# Handles that would look like the site or its staff speaking (also with
# hyphens or a number added: "admin-2", "moderator1").
RESERVED_HANDLES = frozenset(
    [
        "abuse", "admin", "administrator", "alle", "anonym", "anonymous", "everyone",
        "help", "hjaelp", "info", "kontakt", "leder", "mod", "moderation", "moderator",
        "moderatorer", "moderering", "netvaerk", "netvaerket", "netvaerksleder",
        "networkleader", "noreply", "organisator", "organiser", "postmaster", "root",
        "security", "sikkerhed", "staff", "support", "system", "webmaster",
    ]
)  # fmt: skip
# Words in a display name that claim a role ("Moderator Mette", "Admin").
ROLE_NAME_WORDS = frozenset(
    [
        "admin", "administrator", "administratoren", "moderator", "moderatoren",
        "moderatorer", "netværksleder", "netværkslederen", "netvaerksleder", "staff",
        "support", "netværket", "netvaerket",
    ]
)  # fmt: skip
_ROLE_PHRASES = ("network leader", "netværk leder", "netværkets leder")


def is_reserved_handle(handle: str) -> bool:
    return re.sub(r"[-0-9]", "", handle.lower()) in RESERVED_HANDLES


def names_a_role(name: str) -> bool:
    folded = " ".join(re.findall(r"[^\W\d_]+", name.casefold()))
    return bool(set(folded.split()) & ROLE_NAME_WORDS) or any(
        phrase in folded for phrase in _ROLE_PHRASES
    )


_DANISH = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa", "Æ": "Ae", "Ø": "Oe", "Å": "Aa"})


def handle_base(name: str) -> str:
    """A typeable @handle from a name: "Søren Bech" → "soeren-bech"."""
    from django.utils.text import slugify

    return (slugify(name.translate(_DANISH))[:36].strip("-") or "medlem").lower()


class Region(models.TextChoices):
    HOVEDSTADEN = "hovedstaden", _("Capital Region of Denmark")
    SJAELLAND = "sjaelland", _("Region Zealand")
    SYDDANMARK = "syddanmark", _("Region of Southern Denmark")
    MIDTJYLLAND = "midtjylland", _("Central Denmark Region")
    NORDJYLLAND = "nordjylland", _("North Denmark Region")


class Role(models.TextChoices):
    """Roles on top of membership; every active account is a member."""

    ORGANISER = "organiser", _("Organiser")
    MODERATOR = "moderator", _("Moderator")
    NETWORK_LEADER = "network_leader", _("Network leader")
    EDITOR = "editor", _("Editor of the network letter")


class EmailFrequency(models.TextChoices):
    IMMEDIATELY = "immediately", _("Right away")
    DAILY = "daily", _("A daily summary")
    NEVER = "never", _("Never")


class Skill(models.Model):
    """A free tag for "I can help with"."""

    name = models.CharField(_("name"), max_length=50)
    slug = models.SlugField(_("slug"), max_length=60, unique=True, allow_unicode=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("skill")
        verbose_name_plural = _("skills")

    def __str__(self):
        return self.name


class UserQuerySet(models.QuerySet):
    def members(self):
        return self.filter(is_active=True)

    def matching(self, text: str, *, allow_email: bool = False, exact: bool = True):
        """Members a person means by `text`: an @handle, a display name or (where
        e-mail addresses may be used) an e-mail address, case ignored. `exact`
        False also finds names and handles that contain the text (suggestions)."""
        text = " ".join(text.split())
        if not text:
            return self.none()
        if allow_email and "@" in text.strip("@"):
            return self.filter(email__iexact=text)
        handle = text.lstrip("@").lower()
        if text.startswith("@"):
            found = Q(handle=handle) if exact else Q(handle__startswith=handle)
        elif exact:
            found = Q(handle=handle) | Q(display_name__iexact=text)
        else:
            found = Q(handle__startswith=handle) | Q(display_name__icontains=text)
        return self.filter(found)

    def with_access(self):
        """What the permission rules read: roles and whether TOTP is on."""
        from allauth.mfa.models import Authenticator

        roles = (
            RoleAssignment.objects.filter(user=OuterRef("pk"))
            .order_by()
            .values("user")
            .annotate(names=StringAgg("role", delimiter=Value(",")))
            .values("names")
        )
        # The roles come in the same query, as "organiser,moderator" (see `roles`).
        return self.annotate(
            role_names=Subquery(roles, output_field=models.TextField()),
            silenced_now=Exists(
                Sanction.objects.active().filter(
                    user=OuterRef("pk"), kind__in=[SanctionKind.SILENCE, SanctionKind.SUSPEND]
                )
            ),
            suspended_now=Exists(
                Sanction.objects.active().filter(user=OuterRef("pk"), kind=SanctionKind.SUSPEND)
            ),
            mfa_enabled=Exists(
                Authenticator.objects.filter(user=OuterRef("pk"), type=Authenticator.Type.TOTP)
            ),
        )

    def for_directory(self):
        return (
            self.members()
            .prefetch_related(
                Prefetch("skills", queryset=Skill.objects.order_by("name")),
                Prefetch("role_assignments", queryset=RoleAssignment.objects.order_by("role")),
            )
            .order_by(Lower("display_name"), "pk")
        )

    def listed(self):
        """Those who chose to appear in the member directory."""
        return self.filter(show_in_directory=True)

    def search(self, text: str):
        """By name, and by the profile fields each member shows to others."""
        text = text.strip()
        if not text:
            return self
        found = (
            Q(display_name__icontains=text)
            | Q(company__icontains=text, show_company=True)
            | Q(industry__icontains=text, show_industry=True)
            | Q(skills__name__icontains=text, show_skills=True)
        )
        if skill_ids := skill_matcher.ask(text=text[:200]):
            found |= Q(skills__in=sorted(skill_ids), show_skills=True)
        return self.filter(found).distinct()


class UserManager(BaseUserManager.from_queryset(UserQuerySet)):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An email address is required.")
        email = self.normalize_email(email).lower()
        user = self.model(email=email, **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields["is_staff"] = True
        extra_fields["is_superuser"] = True
        return self._create_user(email, password, **extra_fields)


class User(AbstractBaseUser, PermissionsMixin):
    """A member of the network; signs in by email. The profile lives here too."""

    email = models.EmailField(_("email address"), max_length=254, unique=True)
    display_name = models.CharField(
        _("name"), max_length=80, help_text=_("Your name as other members see it.")
    )
    handle = models.CharField(
        _("handle"),
        max_length=40,
        unique=True,
        null=True,
        blank=True,
        help_text=_("Others mention you with @handle. Lowercase letters, digits and hyphens."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(
        _("staff status"),
        default=False,
        help_text=_("Designates whether the user can log into the Django admin."),
    )
    date_joined = models.DateTimeField(_("joined"), default=timezone.now)
    guidelines_accepted_at = models.DateTimeField(
        _("accepted the guidelines"), null=True, blank=True
    )

    # Profile
    company = models.CharField(_("company or business"), max_length=120, blank=True)
    industry = models.CharField(_("industry"), max_length=80, blank=True)
    region = models.CharField(_("region"), max_length=20, choices=Region.choices, blank=True)
    skills = models.ManyToManyField(
        Skill, blank=True, related_name="members", verbose_name=_("I can help with")
    )
    looking_for = models.TextField(_("I am looking for"), max_length=1000, blank=True)
    bio = models.TextField(_("about me"), max_length=2000, blank=True)
    website = models.URLField(_("website"), max_length=200, blank=True)

    # Visibility: what other members see (the member always sees it all).
    show_in_directory = models.BooleanField(_("show me in the member directory"), default=True)
    show_company = models.BooleanField(_("show my company to other members"), default=True)
    show_industry = models.BooleanField(_("show my industry to other members"), default=True)
    show_region = models.BooleanField(_("show my region to other members"), default=True)
    show_skills = models.BooleanField(_("show what I can help with to other members"), default=True)

    # The help relay (relay app): may the network ask this member about
    # unanswered questions matching what they can help with?
    help_requests = models.BooleanField(_("I would like to be asked for help"), default=False)
    help_requests_per_week = models.PositiveSmallIntegerField(
        _("at most this many requests a week"),
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(20)],
    )
    help_requests_paused_until = models.DateField(
        _("pause requests until"),
        null=True,
        blank=True,
        help_text=_("For holidays: no requests up to and including this date."),
    )

    # Notifications
    language = models.CharField(
        _("language for emails"), max_length=10, choices=settings.LANGUAGES, default="da"
    )
    notification_email = models.CharField(
        _("email me about notifications"),
        max_length=12,
        choices=EmailFrequency.choices,
        default=EmailFrequency.IMMEDIATELY,
    )
    unread_notifications = models.PositiveIntegerField(default=0, editable=False)
    # The member's picture (accounts.services.set_avatar): files
    # avatars/<key>-256.jpg and -64.jpg; empty: initials on a colour.
    avatar_key = models.CharField(max_length=32, blank=True, editable=False)

    # Set when the member deleted their account: the row stays, emptied, so
    # what they chose to keep shows as "Former member" (accounts.privacy).
    erased_at = models.DateTimeField(_("account deleted"), null=True, blank=True, editable=False)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["display_name"]

    class Meta:
        verbose_name = _("member")
        verbose_name_plural = _("members")
        constraints = [
            models.UniqueConstraint(Lower("email"), name="accounts_user_email_ci_unique"),
        ]
        indexes = [models.Index(Lower("display_name"), name="accounts_user_name_idx")]

    def __str__(self):
        return self.display_name or self.email

    def get_absolute_url(self):
        return fast_reverse("accounts:member_detail", pk=self.pk)

    def get_full_name(self):
        return self.display_name

    def get_short_name(self):
        return self.display_name

    @cached_property
    def roles(self) -> frozenset[str]:
        """The roles this member holds (prefetched by `with_access()`)."""
        if "role_names" in self.__dict__:  # loaded by with_access()
            return frozenset(filter(None, (self.role_names or "").split(",")))
        return frozenset(assignment.role for assignment in self.role_assignments.all())

    def has_sanction(self, kind: str) -> bool:
        """Silenced (a suspension silences too) or suspended now; annotated by
        `with_access()` for the signed-in member, else one query."""
        annotated = self.__dict__.get(
            "suspended_now" if kind == SanctionKind.SUSPEND else "silenced_now"
        )
        if annotated is not None:
            return bool(annotated)
        kinds = (
            [kind] if kind == SanctionKind.SUSPEND else [SanctionKind.SILENCE, SanctionKind.SUSPEND]
        )
        return Sanction.objects.active().filter(user=self, kind__in=kinds).exists()

    def sanction(self, kind: str):
        """The running sanction of this kind that lasts longest (to show its reason)."""
        running = Sanction.objects.active().filter(user=self, kind=kind)
        return running.order_by(models.F("ends_at").desc(nulls_first=True)).first()

    @cached_property
    def has_totp(self) -> bool:
        annotated = self.__dict__.get("mfa_enabled")
        if annotated is not None:
            return bool(annotated)
        from allauth.mfa.models import Authenticator

        return Authenticator.objects.filter(user=self, type=Authenticator.Type.TOTP).exists()


class RoleAssignmentQuerySet(models.QuerySet):
    def for_listing(self):
        return self.select_related("user", "granted_by").order_by(
            "role", Lower("user__display_name")
        )


class RoleAssignment(models.Model):
    """A role a member holds now. The history is in RoleChange."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="role_assignments", verbose_name=_("member")
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    granted_by = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("appointed by"),
    )
    granted_at = models.DateTimeField(_("appointed"), default=timezone.now)

    objects = RoleAssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        constraints = [
            models.UniqueConstraint(fields=["user", "role"], name="accounts_one_role_per_member"),
        ]

    def __str__(self):
        return f"{self.user} – {self.get_role_display()}"


class RoleChangeQuerySet(models.QuerySet):
    def for_listing(self):
        return self.select_related("user", "changed_by").order_by("-created_at", "-pk")


class RoleChange(models.Model):
    """Append-only log of who appointed or revoked which role, and when."""

    class Action(models.TextChoices):
        GRANTED = "granted", _("appointed")
        REVOKED = "revoked", _("revoked")

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="role_changes", verbose_name=_("member")
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    changed_by = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("changed by"),
    )
    created_at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)

    objects = RoleChangeQuerySet.as_manager()

    class Meta:
        verbose_name = _("role change")
        verbose_name_plural = _("role changes")

    def __str__(self):
        return f"{self.get_action_display()}: {self.user} – {self.get_role_display()}"


class LanguageTextQuerySet(models.QuerySet):
    def for_language(self, language: str):
        """The text written in `language`, else the default language's (Danish), else
        None. One query."""
        wanted = {language, settings.LANGUAGE_CODE}
        found = {text.language: text for text in self.filter(language__in=wanted)}
        return found.get(language) or found.get(settings.LANGUAGE_CODE)


class Guidelines(models.Model):
    """The community guidelines, one text per language, edited by network leaders."""

    language = models.CharField(_("language"), max_length=10, unique=True)
    body = models.TextField(_("text (Markdown)"), max_length=20_000)
    body_html = models.TextField(editable=False)
    updated_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)

    objects = LanguageTextQuerySet.as_manager()

    class Meta:
        verbose_name = _("community guidelines")
        verbose_name_plural = _("community guidelines")

    def __str__(self):
        return f"{self.language}"


class SanctionKind(models.TextChoices):
    SILENCE = "silence", _("Silenced: may read, may not post")
    SUSPEND = "suspend", _("Suspended: may not log in")


class SanctionQuerySet(models.QuerySet):
    def active(self, now=None):
        """Running now: not lifted, and not yet run out (ends_at None: indefinitely).
        A sanction whose time has passed stops by itself; nothing has to run."""
        now = now or timezone.now()
        return self.filter(lifted_at__isnull=True, starts_at__lte=now).filter(
            Q(ends_at__isnull=True) | Q(ends_at__gt=now)
        )


class Sanction(models.Model):
    """A moderator silenced or suspended a member, with a reason they are shown."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="sanctions",
        verbose_name=_("member"),
    )
    kind = models.CharField(_("kind"), max_length=10, choices=SanctionKind.choices)
    reason = models.CharField(_("reason"), max_length=500)
    starts_at = models.DateTimeField(_("from"), default=timezone.now)
    ends_at = models.DateTimeField(_("until"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    lifted_at = models.DateTimeField(_("lifted"), null=True, blank=True)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = SanctionQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_at"]
        verbose_name = _("sanction")
        verbose_name_plural = _("sanctions")
        indexes = [models.Index(fields=["user", "lifted_at"], name="accounts_sanction_active_idx")]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.user}"


class AuditEntryQuerySet(models.QuerySet):
    def for_listing(self):
        return self.select_related("actor").order_by("-created_at", "-pk")


class AuditEntry(models.Model):
    """One moderation or role action: who, what, on what, why, when. Written
    once by accounts.audit.record and never changed (no edit path exists).
    The actions and their labels come from accounts.extensions.audit_actions."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("who"),
    )
    action = models.CharField(_("what"), max_length=20, choices=audit_action_choices)
    target_type = models.CharField(_("target type"), max_length=20)  # thread, post, member, …
    target_id = models.BigIntegerField(_("target id"), null=True)
    target_label = models.CharField(_("target"), max_length=200)
    target_url = models.CharField(max_length=300, blank=True)
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    details = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit log")
        indexes = [models.Index(fields=["target_type", "target_id"], name="accounts_audit_target")]

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.actor} {self.action} {self.target_label}"


# --- Members' data (GDPR) ------------------------------------------------------


def _export_token() -> str:
    import secrets

    return secrets.token_urlsafe(32)


class DataExportQuerySet(models.QuerySet):
    def downloadable(self, now=None):
        return self.filter(
            status=DataExport.Status.READY,
            downloaded_at__isnull=True,
            expires_at__gt=now or timezone.now(),
        )


class DataExport(models.Model):
    """A zip of everything the network holds about a member, built by the
    worker. Its link works once, for its recipient (the member, or the network
    leader who asked on their behalf), until it expires; then the file goes."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Being prepared")
        READY = "ready", _("Ready to download")
        DOWNLOADED = "downloaded", _("Downloaded")
        EXPIRED = "expired", _("Expired")

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="data_exports", verbose_name=_("member")
    )
    recipient = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="+", verbose_name=_("for")
    )
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    token = models.CharField(max_length=64, unique=True, default=_export_token, editable=False)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.PENDING
    )
    content = models.BinaryField(default=b"", editable=False)
    size = models.PositiveIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(_("asked"), default=timezone.now)
    ready_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    downloaded_at = models.DateTimeField(null=True, blank=True)

    objects = DataExportQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("data export")
        verbose_name_plural = _("data exports")
        indexes = [models.Index(fields=["status", "expires_at"], name="accounts_export_expiry")]

    def __str__(self):
        return f"{self.user} {self.created_at:%Y-%m-%d}"


class PrivacyPolicy(models.Model):
    """The privacy policy, one text per language, edited by network leaders.
    Every saved version is kept (PrivacyPolicyRevision)."""

    language = models.CharField(_("language"), max_length=10, unique=True)
    body = models.TextField(_("text (Markdown)"), max_length=30_000)
    body_html = models.TextField(editable=False)
    updated_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)

    objects = LanguageTextQuerySet.as_manager()

    class Meta:
        verbose_name = _("privacy policy")
        verbose_name_plural = _("privacy policies")

    def __str__(self):
        return self.language


class PrivacyPolicyRevision(models.Model):
    policy = models.ForeignKey(PrivacyPolicy, on_delete=models.CASCADE, related_name="revisions")
    body = models.TextField()
    editor = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("privacy policy version")
        verbose_name_plural = _("privacy policy versions")

    def __str__(self):
        return f"{self.policy} {self.created_at:%Y-%m-%d %H:%M}"
