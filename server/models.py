"""Every table, imported in one place so that metadata and migrations see them all."""

from server.auth.models import ApiToken, InviteCode, ReEntryCard
from server.channels.models import NeedAnswer
from server.commitments.models import Commitment, CommitmentCheck, CommitmentUpdate
from server.consolidation.models import ConsolidatedProposal, ConsolidationMark, ProposalMembership
from server.database import Base
from server.deliberation.models import Comment, Vote
from server.drafts.models import Amendment, Clause, Draft, clause_needs
from server.events.models import Event
from server.needs.models import Endorsement, Need
from server.operations.models import WorkerHeartbeat
from server.people.models import (
    Community,
    ConsentRecord,
    Organisation,
    Participant,
    SensitiveData,
)
from server.proxies.models import ProxyRecord
from server.push.models import PushDue, PushMark, PushSubscription, VapidKey
from server.reference.models import AdminArea, Hazard, Sector
from server.rounds.models import Membership, Round, StakeholderGroup
from server.staff.models import StaffAccount, StaffLink
from server.visits.models import LastVisit
from server.webhooks.models import Webhook, WebhookDelivery

__all__ = [
    "AdminArea", "Amendment", "ApiToken", "Base", "Clause", "Comment", "Commitment", "CommitmentCheck",
    "CommitmentUpdate", "Community", "ConsentRecord", "ConsolidatedProposal", "ConsolidationMark", "Draft",
    "Endorsement", "Event", "Hazard", "InviteCode", "LastVisit", "Membership", "Need", "NeedAnswer", "Organisation", "Participant",
    "ProposalMembership", "ProxyRecord", "PushDue", "PushMark", "PushSubscription", "ReEntryCard", "Round", "Sector", "SensitiveData", "StaffAccount", "StaffLink", "StakeholderGroup", "VapidKey", "Vote", "Webhook", "WebhookDelivery",
    "WorkerHeartbeat", "clause_needs",
]
