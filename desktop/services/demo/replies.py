"""Officers' replies by the policy's four methods, quoting each ministry's key contacts."""

from __future__ import annotations

import random
from typing import Any

from desktop.enums import ResponseMethod
from desktop.services.demo.builder import Seeder
from desktop.services.demo.catalogue import MINISTRIES, minister_email
from desktop.services.demo.texts import PUBLIC_ANSWERS

RESPONSE_COLUMNS = (
    "id", "comment_id", "responder_id", "method", "text", "link_url", "phone", "responded_at",
    "restricted_topics_cleared", "high_profile_referral", "version", "created_at", "updated_at",
    "external_id",
)  # fmt: skip
# a. public answer, b. web link, c. phone number, d. direct message: cumulative weights.
_METHODS = (
    (0.40, ResponseMethod.PUBLIC_ANSWER),
    (0.65, ResponseMethod.WEB_LINK),
    (0.85, ResponseMethod.PHONE_NUMBER),
    (1.00, ResponseMethod.DIRECT_MESSAGE),
)


class Replies:
    def __init__(self, s: Seeder) -> None:
        self.s = s
        self.ministries = {m.code: m for m in MINISTRIES}

    def row(
        self,
        rng: random.Random,
        ident: int,
        comment_id: int,
        routed: str,
        responder: Any,
        stamp: Any,
        high_profile: bool,
    ) -> tuple[Any, ...]:
        """One Response row in RESPONSE_COLUMNS order, encoded like the comments (see Codec).

        Ids come as 128-bit numbers and ``stamp`` is the answer time already encoded.
        """
        m = self.ministries[routed]
        link, phone = "", ""
        if high_profile:
            method = ResponseMethod.PUBLIC_ANSWER
            phone = m.minister_phone
            text = (
                f"We recommend you reach out directly to the Minister's office at {phone} or "
                f"{minister_email(m)} for the most recent information on this issue."
            )
        else:
            u = rng.random()
            method = next(meth for limit, meth in _METHODS if u < limit)
            if method is ResponseMethod.PUBLIC_ANSWER:
                text = PUBLIC_ANSWERS[routed]
            elif method is ResponseMethod.WEB_LINK:
                link = m.links[rng.randrange(len(m.links))]
                text = f"Thanks for reaching out. You'll find the details and forms here: {link}"
            elif method is ResponseMethod.PHONE_NUMBER:
                phone = m.info_phone
                text = f"Thanks for letting us know. Please call {phone}; they'll be able to help."
            else:
                text = (
                    "Thanks for your message. Could you send us a direct message with your "
                    f"contact information? Someone from {m.name} will follow up with you."
                )
        codec = self.s.codec
        return (
            codec.ref_int(ident),
            codec.ref_int(comment_id),
            responder,
            method.value,
            text,
            link,
            phone,
            stamp,
            True,  # the officer cleared the restricted topics
            high_profile,
            1,
            stamp,
            stamp,
            None,  # logged in the app, not imported: no platform id
        )
