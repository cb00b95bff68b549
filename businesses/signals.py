"""What the apps above businesses hear about (they register receivers from their ready())."""

from django.dispatch import Signal

# Sent inside the registration's transaction with `business` and `user` (its registrant); a
# receiver returns the role it gave the registrant (access: the first BAM), for the audit entry.
registered = Signal()
