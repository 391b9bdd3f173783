"""The closed vocabularies of the domain, shared by every layer.

Pure ``StrEnum`` classes with no imports beyond the standard library, so the policy layer,
the models, the services and the views can all speak the same words. Values are stored as
text (non-native enums), so adding a member never needs a database type change.
"""

from __future__ import annotations

from enum import StrEnum


class AppRole(StrEnum):
    """Application roles of DESIGN §6; a person may hold several."""

    OFFICER = "officer"
    COMMS_DIRECTOR = "comms_director"
    DCI_DIRECTOR = "dci_director"
    DSO = "dso"
    EXEC_COUNCIL = "exec_council"
    MINISTERS_OFFICE = "ministers_office"
    AGENCY = "agency"
    AUDITOR = "auditor"
    ADMIN = "admin"

    @property
    def label(self) -> str:
        return _APP_ROLE_LABELS[self]


_APP_ROLE_LABELS = {
    AppRole.OFFICER: "Communications officer",
    AppRole.COMMS_DIRECTOR: "Ministry Director of Communications",
    AppRole.DCI_DIRECTOR: "Director, Digital Channels and Insights",
    AppRole.DSO: "Digital Strategy and Operations",
    AppRole.EXEC_COUNCIL: "Executive Council",
    AppRole.MINISTERS_OFFICE: "Minister's Office",
    AppRole.AGENCY: "Agency (third party)",
    AppRole.AUDITOR: "Auditor",
    AppRole.ADMIN: "Administrator",
}


class MinistryKind(StrEnum):
    MINISTRY = "ministry"
    CROWN = "crown"
    AGENCY = "agency"
    CENTRAL = "central"


class PersonKind(StrEnum):
    EMPLOYEE = "employee"
    CONTRACTOR = "contractor"
    AGENCY = "agency"


class Platform(StrEnum):
    FACEBOOK = "facebook"
    X = "x"
    INSTAGRAM = "instagram"
    YOUTUBE = "youtube"
    LINKEDIN = "linkedin"
    TIKTOK = "tiktok"
    WECHAT = "wechat"
    OTHER = "other"

    @property
    def label(self) -> str:
        return {
            "facebook": "Facebook",
            "x": "X (Twitter)",
            "instagram": "Instagram",
            "youtube": "YouTube",
            "linkedin": "LinkedIn",
            "tiktok": "TikTok",
            "wechat": "WeChat",
            "other": "Other",
        }[self.value]


class AccountStatus(StrEnum):
    PROPOSED = "proposed"
    APPROVED = "approved"
    ACTIVE = "active"
    SUSPENDED = "suspended"
    SHUT_DOWN = "shut_down"
    TERMINATED = "terminated"


class PostingTool(StrEnum):
    NATIVE = "native"  # the platform's own website or app
    TWEETDECK = "tweetdeck"  # TweetDeck / X Pro
    OTHER = "other"


class PageRole(StrEnum):
    """A person's role on one social media account (the permission matrix cell)."""

    ADMIN = "admin"
    EDITOR = "editor"
    MODERATOR = "moderator"
    ADVERTISER = "advertiser"
    ANALYST = "analyst"
    CONTRIBUTOR = "contributor"


class ApprovalKind(StrEnum):
    NEW_ACCOUNT = "new_account"
    CAMPAIGN_CONTENT = "campaign_content"
    ANNUAL_GOALS = "annual_goals"
    ACCOUNT_TERMINATION = "account_termination"
    # Content posted on official duty outside a campaign (same approvals as campaign content).
    OFFICIAL_CONTENT = "official_content"
    # A staff member's personal social media name that includes the Government's name.
    PERSONAL_NAME = "personal_name"


class MediaKind(StrEnum):
    IMAGE = "image"
    VIDEO = "video"


class MediaPermission(StrEnum):
    """Why the Government may publish an image or video (copyright: permission or citation)."""

    OWN_WORK = "own_work"  # made by GoS staff or under a GoS contract
    LICENSED = "licensed"  # under a licence that allows this use
    WRITTEN_PERMISSION = "written_permission"  # the rights holder agreed in writing
    SOURCE_CITED = "source_cited"  # public material, used with the source cited

    @property
    def label(self) -> str:
        return {
            "own_work": "Our own work (GoS staff or contract)",
            "licensed": "Licensed for this use",
            "written_permission": "Written permission from the rights holder",
            "source_cited": "Public material, source cited in the reply",
        }[self.value]


class ApprovalState(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    CHANGES_REQUESTED = "changes_requested"
    APPROVED = "approved"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"


class StepState(StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"
    CHANGES_REQUESTED = "changes_requested"
    SKIPPED = "skipped"


class CommentKind(StrEnum):
    QUESTION = "question"
    COMMENT = "comment"
    COMPLAINT = "complaint"
    COMPLIMENT = "compliment"
    MEDIA = "media"


class CommentStatus(StrEnum):
    NEW = "new"
    ACKNOWLEDGED = "acknowledged"
    ANSWERED = "answered"
    CLOSED = "closed"
    HIDDEN = "hidden"
    DELETED = "deleted"


class CloseReason(StrEnum):
    ANSWERED = "answered"
    NO_RESPONSE_NEEDED = "no_response_needed"
    REFERRED_TO_COMMUNICATIONS = "referred_to_communications"
    REMOVED = "removed"


class ResponseMethod(StrEnum):
    """The four reply methods of the policy's guidelines for answering comments."""

    PUBLIC_ANSWER = "public_answer"  # a. a direct answer, publicly
    WEB_LINK = "web_link"  # b. a web link to a form or information
    PHONE_NUMBER = "phone_number"  # c. a phone number to call
    DIRECT_MESSAGE = "direct_message"  # d. ask for a direct message and follow up

    @property
    def label(self) -> str:
        return {
            "public_answer": "Public answer",
            "web_link": "Web link",
            "phone_number": "Phone number",
            "direct_message": "Ask for a direct message and follow up",
        }[self.value]


class RestrictedTopic(StrEnum):
    """Matters that may not be discussed with the public without statutory authorization."""

    COURTS = "courts"
    DRAFT_LEGISLATION = "draft_legislation"
    CABINET = "cabinet"
    PERSONAL_INFORMATION = "personal_information"

    @property
    def label(self) -> str:
        return {
            "courts": "Matters before the courts",
            "draft_legislation": "Draft legislation",
            "cabinet": "Materials prepared for Cabinet",
            "personal_information": "Personal information about identifiable individuals",
        }[self.value]


class RemovalCategory(StrEnum):
    """Removal categories of the public conduct policy."""

    SPAM = "spam"
    BULLYING = "bullying"
    INTIMIDATION = "intimidation"
    HARASSMENT = "harassment"
    HATEFUL = "hateful"
    THREATS = "threats"
    DISCRIMINATION = "discrimination"
    PORNOGRAPHY = "pornography"
    GRAPHIC_VIOLENCE = "graphic_violence"
    DEFAMATORY = "defamatory"
    UNLAWFUL = "unlawful"
    PERSONAL_INFORMATION = "personal_information"
    PROMOTION = "promotion"

    @property
    def label(self) -> str:
        return {
            "spam": "Spam",
            "bullying": "Bullying",
            "intimidation": "Intimidation",
            "harassment": "Harassment",
            "hateful": "Hateful content",
            "threats": "Threats",
            "discrimination": "Discrimination",
            "pornography": "Pornography",
            "graphic_violence": "Graphic violence",
            "defamatory": "Defamatory or derogatory comments",
            "unlawful": "Infringes someone's rights or otherwise violates the law",
            "personal_information": "Personal, sensitive or financial information",
            "promotion": "Product/service promotions and other advertisements",
        }[self.value]


class BanKind(StrEnum):
    TEMPORARY = "temporary"
    PERMANENT = "permanent"


class BanStatus(StrEnum):
    PROPOSED = "proposed"
    ACTIVE = "active"
    LIFTED = "lifted"
    EXPIRED = "expired"
    DECLINED = "declined"


class EmergencyKind(StrEnum):
    COMMUNITY_THREAT = "community_threat"
    FOREST_FIRE = "forest_fire"
    FLOOD = "flood"
    POWER_OUTAGE = "power_outage"
    SEVERE_WEATHER = "severe_weather"
    HEALTH_SCARE = "health_scare"
    AMBER_ALERT = "amber_alert"
    OTHER = "other"


class GroupUpdateKind(StrEnum):
    STATEMENT = "statement"
    QA = "qa"
    INFOGRAPHIC = "infographic"
    PHONE_OR_LINK = "phone_or_link"


class GoalStatus(StrEnum):
    DRAFT = "draft"
    IN_REVIEW = "in_review"
    FINAL = "final"


class EvaluationStatus(StrEnum):
    DRAFT = "draft"
    COMPLETED = "completed"


class Recommendation(StrEnum):
    CONTINUE = "continue"
    NEW_STRATEGY = "new_strategy"
    TERMINATE = "terminate"


class Severity(StrEnum):
    CRITICAL = "critical"
    WARNING = "warning"
    INFO = "info"


class ImportKind(StrEnum):
    """What a file brought in (import batches)."""

    METRICS = "metrics"
    COMMENTS = "comments"
    RESPONSES = "responses"
