from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from django import forms
from django.conf import settings
from django.shortcuts import resolve_url
from django.utils.encoding import force_str
from django.utils.translation import gettext as _

from accounts import services
from netvaerk.client import client_ip
from netvaerk.mail import enqueue_message
from netvaerk.site import absolute_url, current_site

EMAIL_MAX_LENGTH = 254
FIRST_VISIT = "netvaerk_first_visit"  # session key: this is the member's first session


class AccountAdapter(DefaultAccountAdapter):
    def clean_email(self, email):
        """Addresses must fit the database column (254), on every backend."""
        email = super().clean_email(email)
        if len(email) > EMAIL_MAX_LENGTH:
            raise forms.ValidationError(
                _("Enter an email address of at most %(count)s characters.")
                % {"count": EMAIL_MAX_LENGTH}
            )
        return email

    def save_user(self, request, user, form, commit=True):
        user = super().save_user(request, user, form, commit=False)
        user.display_name = form.cleaned_data.get("display_name", "")
        if commit:
            user.save()
            services.register_member(user=user, display_name=user.display_name)
        return user

    def pre_login(self, request, user, **kwargs):
        """A suspended member cannot log in; they are shown why instead."""
        from accounts.middleware import suspension_notice
        from accounts.permissions import is_suspended

        if is_suspended(user):
            return suspension_notice(request, user)
        # Never logged in before: the front page says welcome, not welcome back.
        request.session[FIRST_VISIT] = user.last_login is None
        return super().pre_login(request, user, **kwargs)

    def get_login_redirect_url(self, request):
        """A member's very first login leads to NETVAERK_FIRST_LOGIN_URL (the
        newcomer path's welcome page) unless the login form named a page."""
        if request.session.get(FIRST_VISIT) and settings.NETVAERK_FIRST_LOGIN_URL:
            return resolve_url(settings.NETVAERK_FIRST_LOGIN_URL)
        return super().get_login_redirect_url(request)

    def get_client_ip(self, request):
        """The visitor's address behind our proxies (NETVAERK_TRUSTED_PROXY_COUNT),
        for allauth's rate limits: the same rule as the site's own limits."""
        return client_ip(request)

    def format_email_subject(self, subject):
        return f"[{current_site().name}] {force_str(subject)}"

    def send_mail(self, template_prefix, email, context):
        """Render now, in the member's language; send from the task worker. The
        site's name and links come from settings, never from the request's host."""
        request = allauth_context.request
        ctx = {"request": request, "email": email}
        ctx.update(context)
        ctx["current_site"] = current_site()
        if request is not None:
            request_root = request.build_absolute_uri("/")
            for key, value in ctx.items():
                if isinstance(value, str) and value.startswith(request_root):
                    ctx[key] = absolute_url(value[len(request_root) - 1 :])
        enqueue_message(self.render_mail(template_prefix, email, ctx))
