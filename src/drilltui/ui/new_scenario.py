"""The form of `drilltui new`: exercise type, domain, title, duration and the roles; bad answers are said inline."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from textual import on
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.suggester import SuggestFromList
from textual.widgets import Footer, Header, Input, Select, Static, TextArea

from drilltui.scenario.answers import (
    DOMAINS,
    ROLE_FORM,
    Answers,
    chain_problem,
    read_domain,
    read_duration,
    read_role,
    read_title,
    read_type,
    slug,
)
from drilltui.scenario.model import EXERCISE_TYPES, ROLE_KINDS, Role
from drilltui.ui.fields import Label, MarksFocus
from drilltui.ui.settings import Settings
from drilltui.ui.style import shown
from drilltui.ui.themes import set_up_looks

Check = Callable[[Answers], str | None]  # what stops these answers being written (a file that exists), or None


@dataclass(frozen=True)
class Draft:
    """What the form holds now, as typed."""

    type: str = "tabletop"
    domain: str = ""
    title: str = ""
    duration: str = ""
    roles: str = ""  # one ROLE_FORM a line


STARTER_ROLES = ("control:Exercise Control:controller\nic:Incident Commander:player\nsoc:SOC Analyst:player:ic\n"
                 "eval:Evaluator:evaluator")


def read_roles(text: str) -> tuple[Role, ...]:
    """The roles field, one role a line (blank lines skipped); ValueError names the line."""
    roles = []
    for n, line in enumerate(text.splitlines(), start=1):
        if line.strip():
            try:
                roles.append(read_role(line))
            except ValueError as exc:
                raise ValueError(f"Roles, line {n}: {exc}") from None
    problem = chain_problem(tuple(roles))
    if problem is not None:
        raise ValueError(f"Roles: {problem}")
    return tuple(roles)


def read_draft(draft: Draft) -> Answers:
    """The answers, or ValueError naming the field and what to change."""
    for field, reader in (("Type", read_type), ("Domain", read_domain), ("Title", read_title),
                          ("Duration", read_duration)):
        try:
            reader(getattr(draft, field.lower()))
        except ValueError as exc:
            raise ValueError(f"{field}: {exc}") from None
    return Answers(read_title(draft.title), read_duration(draft.duration), read_roles(draft.roles),
                   read_type(draft.type), read_domain(draft.domain))


def chain_lines(roles: tuple[Role, ...]) -> list[str]:
    """The chain of command as an indented outline, roots first, in the order given."""
    out: list[str] = []
    below: dict[str | None, list[Role]] = {}
    for r in roles:
        below.setdefault(r.reports_to, []).append(r)
    stack = [(r, 0) for r in reversed(below.get(None, []))]
    while stack:
        role, depth = stack.pop()
        out.append(f"{'  ' * depth}{'└ ' if depth else ''}{role.id}: {role.title} ({role.kind})")
        stack += [(r, depth + 1) for r in reversed(below.get(role.id, []))]
    return out


class NewScenarioApp(MarksFocus, App[Answers | None]):
    """Asks for the answers; ctrl+s returns them (when they hold), escape returns None."""

    TITLE = "drilltui new"
    SUB_TITLE = "a scenario to start from"
    BINDINGS = [
        Binding("ctrl+s", "write", "Write", id="new-write", priority=True,
                tooltip="Write the scenario, when every answer holds"),
        Binding("escape", "cancel", "Cancel", id="new-cancel", tooltip="Leave without writing anything"),
    ]
    DEFAULT_CSS = """
    NewScenarioApp #form { padding: 0 2; }
    NewScenarioApp .label { color: $text-muted; margin-top: 1; }
    NewScenarioApp .label.focused { color: $accent; }
    NewScenarioApp Select { width: 40; }
    NewScenarioApp TextArea { height: 8; }
    NewScenarioApp #id-preview, NewScenarioApp #chain { color: $text-muted; }
    NewScenarioApp #error { color: $error; text-style: bold; margin-top: 1; }
    """

    def __init__(self, draft: Draft | None = None, *, check: Check | None = None,
                 settings: Settings | None = None) -> None:
        super().__init__()
        self.draft = draft or Draft()
        self.check = check
        self.settings = settings or Settings()

    def compose(self) -> ComposeResult:
        d = self.draft
        yield Header(icon="◆")
        with VerticalScroll(id="form"):
            yield Static("Answer these and drilltui writes a scenario to start from, every section explained. "
                         "Tab moves between fields, ctrl+s writes, Esc leaves.", classes="intro")
            yield Label("Exercise type (HSEEP)", "type")
            yield Select([(t, t) for t in EXERCISE_TYPES], value=d.type if d.type in EXERCISE_TYPES else "tabletop",
                         allow_blank=False, id="type", compact=True)
            yield Label("Domain: the field it is written for, a slug (ai-lab, healthcare, energy, chemical, or your "
                        "own); optional", "domain")
            yield Input(d.domain, placeholder="e.g. ai-lab", suggester=SuggestFromList(DOMAINS), id="domain",
                        compact=True)
            yield Label("Title: one line naming the exercise", "title")
            yield Input(d.title, placeholder="e.g. Model weights leave the training cluster", id="title", compact=True)
            yield Static("", id="id-preview")
            yield Label("Duration: the planned length", "duration")
            yield Input(d.duration, placeholder="e.g. 90m, 2h, 1h30m", id="duration", compact=True)
            yield Label(f"Roles, one a line as {ROLE_FORM}; kind is {', '.join(ROLE_KINDS)}", "roles")
            # A chain to edit rather than an empty box: what a first drill usually has.
            yield TextArea(d.roles or STARTER_ROLES, id="roles", compact=True, placeholder=STARTER_ROLES)
            yield Static("", id="chain")
            yield Static("", id="error")
        yield Footer()

    def on_mount(self) -> None:
        set_up_looks(self, self.settings.theme, self.settings.keys)
        self.refresh_hints()
        self.query_one("#title" if not self.draft.title else "#roles").focus()

    def current(self) -> Draft:
        value = lambda wid: self.query_one(f"#{wid}", Input).value  # noqa: E731
        return Draft(str(self.query_one("#type", Select).value), value("domain"), value("title"), value("duration"),
                     self.query_one("#roles", TextArea).text)

    @on(Input.Changed)
    @on(TextArea.Changed)
    def refresh_hints(self) -> None:
        """The id the title gives and the chain of command as read, or what is wrong with the roles, as one types."""
        draft = self.current()
        self.query_one("#id-preview", Static).update(f"id: {slug(draft.title)}" if draft.title.strip() else "")
        try:
            roles = read_roles(draft.roles)
            text = "\n".join(shown(line) for line in chain_lines(roles))
        except ValueError as exc:
            text = shown(str(exc)) if draft.roles.strip() else ""
        self.query_one("#chain", Static).update(text)

    def say(self, message: str) -> None:
        error = self.query_one("#error", Static)
        error.update(shown(message))
        error.scroll_visible()  # below the fold on a short terminal

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.screen.focus_next()

    def action_write(self) -> None:
        try:
            answers = read_draft(self.current())
        except ValueError as exc:
            self.say(str(exc))
            return
        problem = self.check(answers) if self.check is not None else None
        if problem is not None:
            self.say(problem)
            return
        self.exit(answers)

    def action_cancel(self) -> None:
        self.exit(None)
