"""Built-in vocabulary: field aliases, status words and emoji, priority scales.

These are the defaults the parser uses with no configuration; a config file can
extend them (see config.py), and the parser receives a ``Vocabulary``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from backlog_lint.text import normalise_key, normalise_word

# canonical field -> aliases (compared after normalise_key)
FIELD_ALIASES: dict[str, tuple[str, ...]] = {
    "id": ("id", "key", "ref", "#", "no", "number"),
    "title": ("title", "name", "summary title", "item", "feature", "task", "story", "work item",
              "feature / work item", "epic", "bug", "card", "user story",
              "tarea", "título", "titulo", "historia de usuario", "tarefa", "tâche", "tache", "titre",
              "aufgabe", "titel", "attività", "compito", "titolo", "taak", "zadanie", "tytuł", "úkol", "tehtävä",
              "uppgift", "oppgave", "opgave", "задача", "название", "заголовок", "任务", "标题", "タスク", "件名",
              "작업", "제목",
              # "feature", "item", "name" in other languages
              "funcionalidad", "funcionalidade", "fonctionnalité", "funzionalità", "funktion", "функция",
              "功能", "功能点", "事项", "需求", "名称", "機能", "項目", "기능", "항목", "이름"),
    "status": ("status", "state", "stage", "progress", "lane",
               "estado", "estatus", "stato", "statut", "zustand", "статус", "состояние", "状态", "狀態", "状態",
               "ステータス", "상태"),
    "priority": ("priority", "prio", "pri", "importance", "urgency",
                 "prioridad", "prioridade", "priorità", "priorité", "priorität", "prioriteit", "priorytet",
                 "приоритет", "优先级", "優先級", "優先度", "우선순위"),
    "dependencies": ("dependencies", "dependency", "depends on", "depends", "dependson", "requires",
                     "blocked by", "blockedby", "prerequisites", "prereqs", "needs", "after"),
    "unlocks": ("unlocks", "blocks", "enables", "unblocks"),
    "related": ("related", "relates to", "see also", "related to"),
    "labels": ("labels", "label", "tags", "tag", "category", "categories", "type", "area",
               "component", "components"),
    "effort": ("effort", "estimate", "estimated effort", "size", "points", "story points",
               "complexity estimate", "duration", "est", "estimación", "estimacion", "estimativa", "stima",
               "schätzung", "aufwand", "оценка", "估算", "見積もり", "見積"),
    "owner": ("owner", "owners", "assignee", "assignees", "assigned to", "assigned", "responsible", "dri"),
    "created": ("created", "created date", "created_date", "date created", "opened", "date"),
    "updated": ("updated", "last updated", "updated date", "updated_date", "last modified"),
    "due": ("due", "due date", "deadline", "target date", "eta"),
    "completed": ("completed", "completed date", "done date", "closed", "finished"),
    "complexity": ("complexity",),
    "wave": ("wave",),
    "phase": ("phase",),
    "milestone_ref": ("target", "version", "release", "fix version"),
    "description": ("description", "summary", "details", "what"),
}

# keys that count as "known": the key can start a field line even outside an item
KNOWN_FIELD_KEYS = frozenset(FIELD_ALIASES) - {"title", "description", "id"}

# fields whose values hold references to other items
REFERENCE_FIELDS = ("dependencies", "unlocks", "related")
LIST_FIELDS = ("labels", "dependencies", "unlocks", "related", "owner")

# canonical status -> spellings (after normalise_word). These recognise what a word means (is it done?);
# they never decide which values a project may use: that is learnt from the project (workspace/vocabulary.py).
STATUS_WORDS: dict[str, tuple[str, ...]] = {
    "done": ("done", "complete", "completed", "finished", "closed", "resolved", "shipped",
             "implemented", "merged", "released", "fixed", "delivered", "accepted", "converted",
             "documented", "landed", "deployed", "verified", "passed",
             # other languages
             "erledigt", "fertig", "abgeschlossen", "erl", "terminé", "termine", "terminée", "fait", "achevé",
             "achevée", "complété", "complétée", "fini", "finie", "hecho",
             "completado", "completada", "terminado", "terminada", "finalizado", "finalizada", "concluído",
             "concluido", "feito", "pronto", "completato", "completata", "fatto", "finito", "klaar", "gereed",
             "afgerond", "voltooid", "gotowe", "zrobione", "ukończone", "zakończone", "hotovo", "dokončeno",
             "готово", "выполнено", "сделано", "завершено", "закрыто", "виконано", "完了", "完成",
             "已完成", "済", "済み", "완료", "tamamlandı", "selesai", "xong", "hoàn thành", "klar", "färdig",
             "utført", "ferdig", "valmis", "kész", "hotové"),
    "in-progress": ("in progress", "inprogress", "in-progress", "wip", "doing", "started",
                    "active", "ongoing", "in review", "review", "review-ready", "testing",
                    "partially completed", "partially", "partial",
                    "partiellement", "parcial", "parcialmente", "teilweise",
                    "in arbeit", "in bearbeitung", "en cours", "en progreso", "en curso", "em andamento",
                    "em progresso", "in corso", "in uitvoering", "w trakcie", "в работе", "в процессе",
                    "进行中", "進行中", "対応中", "作業中", "진행 중", "진행중"),
    "todo": ("todo", "to do", "to-do", "open", "planned", "pending", "not started", "new",
             "backlog", "ready", "proposed", "next", "queued", "draft", "idea", "triage",
             "offen", "geplant", "à faire", "a faire", "prévu", "non commencé", "non commencée", "pendiente",
             "por hacer", "pendente",
             "a fazer", "da fare", "te doen", "do zrobienia", "к выполнению", "запланировано", "未着手",
             "未完了", "待办", "未开始", "할 일", "예정"),
    "blocked": ("blocked", "on hold", "waiting", "paused", "parked", "deferred",
                "blockiert", "bloqué", "bloqueado", "bloccato", "заблокировано"),
    "cancelled": ("cancelled", "canceled", "wontfix", "won't fix", "dropped", "rejected",
                  "abandoned", "obsolete", "archived", "archive", "not applicable", "superseded",
                  "duplicate", "invalid", "abgebrochen", "verworfen", "annulé", "cancelado", "annullato",
                  "отменено", "中止", "取消"),
    "prototype": ("prototype", "experimental", "spike"),
}
DONE_STATUSES = frozenset({"done", "cancelled"})

STATUS_EMOJI: dict[str, str] = {
    "✅": "done", "✔": "done", "☑": "done", "🟢 done": "done", "✓": "done",
    "⏳": "in-progress", "🚧": "in-progress", "🔄": "in-progress", "🏗": "in-progress",
    "🧪": "prototype", "❌": "cancelled", "⛔": "blocked", "🛑": "blocked", "📋": "todo",
    "🔲": "todo", "⬜": "todo",
}

PRIORITY_WORDS: dict[str, str] = {
    "critical": "Critical", "urgent": "Critical", "blocker": "Critical",
    "high": "High", "medium": "Medium", "med": "Medium", "normal": "Medium",
    "low": "Low", "minor": "Low", "trivial": "Low", "deferred": "Deferred",
    "long-term": "Deferred", "long term": "Deferred", "nice to have": "Low",
    "高": "High", "中": "Medium", "低": "Low",
}
PRIORITY_EMOJI = {"🔴": "red", "🟠": "orange", "🟡": "yellow", "🟢": "green", "🔵": "blue",
                  "⚪": "white", "⚫": "black", "⚠️": "warning", "⚠": "warning"}
# the box markers that tick a checklist entry (`[x]`, `[✓]`); `[ ]` is open, other markers mean what the file's
# legend says (parser/checkbox_legend.py)
CHECKED_MARKS = frozenset("xX✓✔v")
_BOX_RE = re.compile(r"^\[(.)\]$")
def box_marker(value: str) -> str | None:
    """The marker of a checkbox written as a field's value (`[x]`, `[ ]`, `[~]`), else None."""
    m = _BOX_RE.match(value.strip())
    return m.group(1) if m else None


P_LEVEL_RE = re.compile(r"(?<![A-Za-z0-9])P([0-5])(?![A-Za-z0-9])")

@dataclass(slots=True)
class Vocabulary:
    """Alias tables the parser uses; built from defaults plus config."""

    aliases: dict[str, str] = field(default_factory=dict)  # normalised alias -> canonical
    status: dict[str, str] = field(default_factory=dict)  # normalised word -> canonical
    status_emoji: dict[str, str] = field(default_factory=dict)
    done: frozenset[str] = DONE_STATUSES
    reference_fields: tuple[str, ...] = REFERENCE_FIELDS
    list_fields: tuple[str, ...] = LIST_FIELDS

    @classmethod
    def default(cls) -> Vocabulary:
        v = cls()
        for canonical, aliases in FIELD_ALIASES.items():
            for a in aliases:
                v.aliases[normalise_key(a)] = canonical
            v.aliases[normalise_key(canonical)] = canonical
        for canonical, words in STATUS_WORDS.items():
            for w in words:
                v.status[normalise_word(w)] = canonical
        v.status_emoji = dict(STATUS_EMOJI)
        return v

    def canonical_key(self, raw: str) -> str | None:
        return self.aliases.get(normalise_key(raw))

    def status_of(self, raw: str) -> str | None:
        """Canonical status of a cell/field value, or None if not recognisable."""
        text = raw.strip()
        if not text:
            return None
        for emoji, canonical in self.status_emoji.items():
            if text.startswith(emoji):
                rest = normalise_word(text[len(emoji) :])
                return self.status.get(rest, canonical)
        box = box_marker(text)
        if box is not None:  # a checkbox written as the value: `| [x] |`; other markers: the file's legend
            return "done" if box in CHECKED_MARKS else "todo" if box == " " else None
        word = normalise_word(text)
        if word in self.status:
            return self.status[word]
        # "**Complete**; commentary", "Pending.", "Done (2026-02-07)"
        head = re.split(r"[;:,(—–]| - ", word, maxsplit=1)[0].strip(" .")
        if head in self.status:
            return self.status[head]
        m = _UNKNOWN_PREFIX_RE.match(text)
        if m:  # an unknown emoji or garbled prefix before a known word: "🟣 Done", "‚úÖ Done"
            return self.status_of(m.group(1))
        words = head.split()
        for k in range(min(len(words), 3), 0, -1):
            prefix = " ".join(words[:k])
            if prefix in self.status:
                return self.status[prefix]
        return None


_UNKNOWN_PREFIX_RE = re.compile(r"^[^\x00-\x7f]+\s+([A-Za-z][\w -]*(?:\([^()]*\))?)$")
_DEFAULT: Vocabulary | None = None


def default_vocabulary() -> Vocabulary:
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = Vocabulary.default()
    return _DEFAULT


def is_done(status: str | None, vocab: Vocabulary | None = None) -> bool:
    """The one definition of closed work: a status among the done statuses (the config's
    ``done-statuses``, through its vocabulary; ``done`` and ``cancelled`` by default)."""
    return status is not None and status in (vocab.done if vocab is not None else DONE_STATUSES)


def priority_of(raw: str) -> str | None:
    """Normalised priority: 'P1', 'High', ... or None."""
    m = P_LEVEL_RE.search(raw)
    if m:
        return f"P{m.group(1)}"
    word = normalise_word(raw)
    for emoji in PRIORITY_EMOJI:
        word = word.replace(emoji, "")
    word = word.strip()
    if word in PRIORITY_WORDS:
        return PRIORITY_WORDS[word]
    # "High Risk - Deferred": the last exact level wins; "High - Foundation ticket": the first
    segments = [seg.strip(" .") for seg in re.split(r"[;:,()]| - ", word)]
    for seg in reversed(segments):
        if seg in PRIORITY_WORDS:
            return PRIORITY_WORDS[seg]
    for w, canonical in PRIORITY_WORDS.items():
        if re.search(rf"(?<![a-z]){re.escape(w)}(?![a-z])", word):
            return canonical
    return None
