"""The workflow panel of the report page and the workspace: the report's status, the moves the
person may make now (as forms), why a draft is a draft again (the comment of a return, the reason
of a reopening), the review's counts and the event log. The moves themselves are
``reporting.workflow.transition``; this module only gathers what the panel shows."""

from dataclasses import dataclass

from .models import Report, ReportEvent
from .review import StoredReview
from .workflow import ReviewRefusal, Transition, TransitionError, allowed_transitions

Status = Report.Status


@dataclass(frozen=True)
class Action:
    """One move offered as a form; after a refused attempt it carries what the person typed
    and the reason it was refused."""

    step: Transition
    comment: str = ""
    decision_date: str = ""
    decision_paragraph: str = ""
    justification: str = ""
    refused: bool = False

    @property
    def name(self) -> str:
        return self.step.name


@dataclass(frozen=True)
class WorkflowPanel:
    actions: tuple[Action, ...]
    events: tuple[ReportEvent, ...]
    draft_reason: ReportEvent | None
    review: StoredReview | None  # the stored review's counts (None: never reviewed)
    origin: str  # "detail" or "workspace": where a move leads back to
    error: str = ""  # why the move just tried was refused
    error_from_review: bool = False  # refused for the review's errors: link to the review
    unplaced: Action | None = None
    unready: tuple[
        str, ...
    ] = ()  # a submission refused until its unready items are confirmed  # a refused move no longer offered: its text, to copy

    @property
    def errors(self) -> int:
        """The stored review's errors (0 when never reviewed)."""
        return self.review.errors if self.review is not None else 0

    @property
    def justification_offered(self) -> bool:
        """An approval may need a justification: the stored review has errors, or it is out of
        date or missing (the move runs the rules and tells)."""
        return self.review is None or not self.review.current or self.review.errors > 0

    @property
    def draft_reason_label(self) -> str:
        if self.draft_reason is None:
            return ""
        if self.draft_reason.from_status == Status.SUBMITTED:
            return "Återsänd"
        return "Öppnad igen"


def draft_reason(report: Report, events) -> ReportEvent | None:
    """The return or reopening that made the report a draft again, while it still is one: the
    comment the editors must read before they go on."""
    if report.status != Status.DRAFT or not events:
        return None
    last = events[-1]
    return last if last.to_status == Status.DRAFT and last.comment else None


def build_panel(
    user,
    report: Report,
    review: StoredReview | None,
    *,
    origin: str,
    refused: Action | None = None,
    error: str | TransitionError = "",
) -> WorkflowPanel:
    """The panel for ``user``. After a refused move, ``error`` says why (the refusal itself, or
    a form's message) and ``refused`` holds what the person typed, which its form shows again. A
    ``ReviewRefusal`` links to the review. ``review``: the stored review's counts
    (``reporting.review.stored_review``); the panel never runs the rules."""
    actions = tuple(
        refused if refused is not None and refused.name == step.name else Action(step)
        for step in allowed_transitions(user, report)
    )
    events = tuple(report.events.select_related("user"))
    return WorkflowPanel(
        actions=actions,
        events=events,
        draft_reason=draft_reason(report, events),
        review=review,
        origin=origin,
        error=str(error),
        error_from_review=isinstance(error, ReviewRefusal),
        unready=tuple(getattr(error, "unready", ())),
        unplaced=(
            refused
            if refused is not None
            and refused.comment.strip()
            and refused.name not in {a.name for a in actions}
            else None
        ),
    )
