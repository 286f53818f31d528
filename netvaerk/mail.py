"""Outgoing mail goes through a background task, never inside a request."""

from django.core.mail import EmailMultiAlternatives
from django.tasks import task


@task(queue_name="default")
def send_email(
    *,
    subject: str,
    body: str,
    to: list[str],
    from_email: str | None = None,
    html: str | None = None,
    headers: dict[str, str] | None = None,
) -> int:
    message = EmailMultiAlternatives(
        subject=subject, body=body, from_email=from_email, to=to, headers=headers or {}
    )
    if html:
        message.attach_alternative(html, "text/html")
    return message.send()


def enqueue_message(message) -> None:
    """Queue an already rendered EmailMessage (rendered in the sender's language)."""
    html = None
    for content, mimetype in getattr(message, "alternatives", []):
        if mimetype == "text/html":
            html = str(content)
    send_email.enqueue(
        subject=str(message.subject),
        body=str(message.body),
        to=[str(address) for address in message.to],
        from_email=message.from_email,
        html=html,
        headers={str(k): str(v) for k, v in (message.extra_headers or {}).items()},
    )
