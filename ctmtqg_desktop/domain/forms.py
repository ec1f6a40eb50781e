"""Checking what a user types into a dossier form, field by field, as they type.

Each field of a template's form (:mod:`ctmtqg_desktop.domain.dossier_templates`) has a type
and its checks; :func:`check_value` turns what was typed into the value that is stored (JSON:
text, whole numbers, integer đồng, ISO dates, a chosen option, household ids, signers'
names) or gives the Vietnamese reason it cannot be accepted. :func:`check_form` also applies
the form's rules between fields (a counterpart share not above the total, an end date not
before the start).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from ctmtqg_desktop.domain.dossier_templates import FormField, FormSpec
from ctmtqg_desktop.domain.errors import UserError
from ctmtqg_desktop.domain.formats import format_date, format_number, parse_date
from ctmtqg_desktop.domain.money import format_money, parse_money
from ctmtqg_desktop.domain.text import fold, normalize
from ctmtqg_desktop.i18n import _

#: a time of day as typed: 8:30, 08:30, 8h30, 8 giờ 30, 8g30, 14h
_TIME = re.compile(r"(\d{1,2})\s*(?::|h|g|giờ)\s*(\d{2})?\s*(?:phút|p)?")


def _empty(raw: Any) -> bool:
    if raw is None:
        return True
    if isinstance(raw, str):
        return not raw.strip()
    if isinstance(raw, (list, tuple)):
        return not raw
    if isinstance(raw, dict):
        return not any(normalize(str(v)) for v in raw.values())
    return False


def check_value(field: FormField, raw: Any) -> tuple[Any, str | None]:
    """(stored value, None) or (None, the reason in Vietnamese). Empty gives (None, None)
    unless the field is required."""
    if _empty(raw):
        return None, (_("“{label}” must be filled in.").format(label=field.label)
                      if field.required else None)
    kind = field.type
    if kind == "text":
        value = normalize(str(raw)) if not field.multiline else "\n".join(
            normalize(line) for line in str(raw).splitlines()).strip()
        if field.max_length and len(value) > field.max_length:
            return None, _("“{label}” is at most {limit} characters long (now {length}).").format(
                label=field.label, limit=format_number(field.max_length),
                length=format_number(len(value)))
        if field.pattern and not re.fullmatch(field.pattern, value):
            return None, f"{field.label}: {field.pattern_message}"
        return value, None
    if kind in ("number", "money"):
        try:
            amount = parse_money(raw if isinstance(raw, int) else str(raw),
                                allow_negative=kind == "number")
        except UserError:
            if kind == "money":
                return None, _("“{label}”: “{text}” is not an amount in đồng (write it as "
                               "1.250.000).").format(label=field.label, text=raw)
            return None, _("“{label}”: “{text}” is not a whole number.").format(
                label=field.label, text=raw)
        shown = format_money if kind == "money" else format_number
        if field.minimum is not None and amount < field.minimum:
            return None, _("“{label}” must be at least {limit}.").format(
                label=field.label, limit=shown(field.minimum))
        if field.maximum is not None and amount > field.maximum:
            return None, _("“{label}” must be at most {limit}.").format(
                label=field.label, limit=shown(field.maximum))
        return amount, None
    if kind == "date":
        try:
            return parse_date(raw).isoformat(), None
        except UserError:
            return None, _("“{label}”: “{text}” is not a date (write dd/mm/yyyy).").format(
                label=field.label, text=raw)
    if kind == "time":
        match = _TIME.fullmatch(normalize(str(raw)).casefold())
        hour, minute = (int(match.group(1)), int(match.group(2) or 0)) if match else (99, 0)
        if hour > 23 or minute > 59:
            return None, _("“{label}”: “{text}” is not a time of day (write hh:mm, e.g. "
                           "08:30).").format(label=field.label, text=raw)
        return f"{hour:02d}:{minute:02d}", None
    if kind == "choice":
        wanted = fold(str(raw))
        for option in field.options:
            if fold(option) == wanted:
                return option, None
        return None, _("“{label}” must be one of: {options}.").format(
            label=field.label, options="; ".join(field.options))
    if kind == "households":
        values = [str(item) for item in raw]
        if len(set(values)) != len(values):
            return None, _("“{label}” lists a household twice.").format(label=field.label)
        return values, None
    if kind == "signature":
        names = {role: normalize(str(raw.get(role, ""))) for role in field.roles}
        if field.required and not all(names.values()):
            return None, _("“{label}”: write the name of every signer.").format(
                label=field.label)
        return names, None
    return None, _("Unknown field type {kind}.").format(kind=kind)


def _comparable(field: FormField, value: Any) -> Any:
    return dt.date.fromisoformat(value) if field.type == "date" else value


def check_form(form: FormSpec, raw_values: dict[str, Any]) -> tuple[dict[str, Any],
                                                                  dict[str, str]]:
    """(stored values, problems by field key) for a whole form, rules included."""
    values: dict[str, Any] = {}
    problems: dict[str, str] = {}
    for field in form.fields:
        value, problem = check_value(field, raw_values.get(field.key))
        if problem:
            problems[field.key] = problem
        elif value is not None:
            values[field.key] = value
    for rule in form.rules:
        if rule.left not in values or rule.right not in values:
            continue
        left = _comparable(form.field(rule.left), values[rule.left])
        right = _comparable(form.field(rule.right), values[rule.right])
        holds = {"le": left <= right, "lt": left < right, "ge": left >= right,
                 "gt": left > right}[rule.kind]
        if not holds:
            problems.setdefault(rule.left, rule.message)
    return values, problems


def display_value(field: FormField, value: Any) -> str:
    """A stored value as printed on the form (households and signatures are laid out apart)."""
    if value is None or value == "":
        return ""
    if field.type == "money":
        return format_money(int(value))
    if field.type == "number":
        return format_number(int(value))
    if field.type == "date":
        return format_date(dt.date.fromisoformat(value))
    if field.type == "time":
        return str(value)
    if field.type == "households":
        return str(len(value))
    if field.type == "signature":
        return "; ".join(f"{role}: {name}" for role, name in value.items() if name)
    return str(value)


def edit_text(field: FormField, value: Any) -> str:
    """A stored value as it is put back into an edit box (1.234.567, dd/mm/yyyy)."""
    if value is None:
        return ""
    if field.type in ("money", "number"):
        return format_number(int(value))
    if field.type == "date":
        return format_date(dt.date.fromisoformat(value))
    return str(value)
