from .models import Notification


def unread(request):
    """The unread count in the header, for a signed-in person (one count query)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notifications": Notification.objects.inbox_of(user).unread().count()}
