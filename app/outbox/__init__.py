"""The outbox: e-mail and SMS written to the database first, delivered by `flask outbox send`."""

from app.outbox.services import (
    Delivery,
    deliver,
    queue_email,
    queue_email_once,
    queue_sms,
)

__all__ = ["Delivery", "deliver", "queue_email", "queue_email_once", "queue_sms"]
