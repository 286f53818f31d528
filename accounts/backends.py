from allauth.account.auth_backends import AuthenticationBackend as AllauthBackend

from accounts.models import User


class AuthenticationBackend(AllauthBackend):
    """allauth's email login; loads the signed-in member with roles and 2FA state."""

    def get_user(self, user_id):
        try:
            user = User.objects.with_access().get(pk=user_id)
        except User.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
