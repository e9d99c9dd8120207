"""The guard stage: crisis, dosing refusal, out of scope, or pass, decided before retrieval.

One decision, in the policy's order (crisis, then dosing, then scope), used by the pipeline,
the crisis path past rate limits, calibration and `clearpath eval --guard` alike:

    signals = read(text)                          # the rules (api/guard/crisis.py, dosing.py,
                                                  # scope.py) over the normalised text
    probs = model.probabilities(vector, signals.norm)   # the learned layer (model.py)
    tail = model.probabilities(embed(signals.tail), ...)  # long messages only: their end
    decide(signals, probs, thresholds, tail) -> Verdict

`check(text, vector, model, embed)` is the four together. A rule that fires decides for crisis
and dosing (rules are written for recall on the dangerous outcomes); the learned layer catches
wordings no rule anticipated, at thresholds chosen on the development split
(api/guard/data/thresholds.json, by `clearpath eval --guard --calibrate`).

A long message (over 400 characters: a story about a relative in hospital, a pasted form) is
where the learned layer cries wolf, and the embedding model reads only its first 256 word
pieces. So on a long message the model's crisis call is taken on the message's last sentences,
where people say what is happening now, at its own threshold chosen on the long dev messages;
the rules read all of it.

Instructions inside a message ("ignore your rules", "pretend you are a doctor") are removed
before either layer reads it, so they cannot change the outcome.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

import numpy as np

from api.guard import crisis, dosing, scope, text
from api.guard.crisis import WHICH_NUMBER
from api.guard.rules import Pattern, first_hit, matches_without
from api.guard.rules import forget as rules_forget
from api.guard.words import PAST

if TYPE_CHECKING:
    from api.guard.model import GuardModel

GuardKind = Literal["crisis", "dosing_refusal", "out_of_scope", "pass"]


@dataclass(frozen=True)
class Verdict:
    kind: GuardKind
    reason: str  # the rule or model that decided, for logs and evaluation (never the text)
    lang: str = "en"
    personal: bool = False  # a personal medical question: the answer adds the clinician line


@dataclass(frozen=True)
class Signals:
    """What the rules read in one message; the learned layer's probabilities complete it."""

    norm: str  # the normalised text the text model reads
    lang: str
    crisis_rule: str | None
    general_or_past: bool  # a general question, a past event or withdrawal symptoms only:
    # the model may not say crisis
    dosing_rule: str | None
    other_substance: bool  # withdrawal from alcohol, benzos, caffeine...
    scoped: bool
    personal: bool
    no_amount_asked: bool = False  # kitchen units, or a dose named with no amount asked for
    tail: str | None = None  # the last sentences of a long message (raw), else None
    tail_norm: str = ""  # ... normalised, for the text model
    tail_general_or_past: bool = False


# A general question ("can withdrawal cause seizures?") or a past event is not an emergency
# now: the model alone may not call it a crisis (a crisis rule still can).
_GENERAL_QUESTION = Pattern(
    r"^\W*(?:can|could|is it|does|do|why|how (?:does|do|long|come)|what (?:happens|is|are|did|"
    r"does|do)|recommend|recomi[eé]nda(?:me)?|suggest|sugi[eé]reme|"
    r"se puede|es verdad|por qu[eé]|qu[eé] pasa|qu[eé] (?:es|son|significa)|cu[aá]l(?:es)? "
    r"(?:es|son)|(?:a )?qu[eé] n[uú]mero)\b|"
    # ... or asked anywhere: whether something heard is true, what a study found, why (a clause
    # of its own), which number to call if someone...
    r"\bis (?:he|she|that|this|it|they) (?:right|true|correct|wrong)\b|\b(?:es|ser[aá]) (?:cierto|"
    r"verdad)\b|\bwhat did (?:the|a|this|that) (?:\w++ )?(?:study|studies|research|trial|paper)\b|"
    r"(?:^|[,;]\s*+)why (?:could|would|can|does|do|did|is|are)\b|\blast week\b|"
    r"\bwas (?:something|anything) wrong with\b|\bby accident\W*$|\bwhat (?:should|do|can) "
    r"(?:we|i|you|people|they) (?:watch|look) (?:out )?for\b|" + WHICH_NUMBER)
_PAST = Pattern(PAST)
# A short message describing withdrawal symptoms ("day 3 off, yawning nonstop, legs won't stay
# still"), with no danger sign: the model alone may not call it a crisis (a rule still can).
_WITHDRAWAL_ONLY = matches_without(
    r"\b(?:yawn\w*+|runny nose|nose (?:is |keeps )?(?:running|runny)|eyes (?:keep )?water\w*+|"
    r"restless legs|legs (?:won'?t|wont|don'?t) (?:stay|keep) still|goosebumps|chills|sweat\w*+|"
    r"diarrh?o?ea|stomach (?:is )?cramp\w*+|cramping|aching|achy|can'?t sleep|piernas inquietas|"
    r"nariz (?:me )?gotea|ojos me lloran|bostez\w*+|escalofr[ií]os|diarrea|no puedo dormir|"
    r"me duelen)\b",
    r"breath|wake|blue|gr[ae]y|purple|chest|faint|pass(?:ed|ing)? out|confus|seiz|\bfit\b|suicid|"
    r"\bdie\b|dying|kill|end it|hurt myself|unconscious|unresponsive|overdos|collaps|sangre|"
    r"respir|despiert|morir|matar|convuls|pecho|azul|morad|desmay|"
    r"can'?t (?:go on|do this)|no aguanto|quiero morir|pills? (?:are )?(?:here|counted)|heart|"
    r"racing|pounding|by mistake|accident|whole|too (?:much|many)|a lot of|all of|coraz[oó]n")


def read(message: str) -> Signals:
    norm, plain, lang = text.read(message)
    texts = (norm,) if plain == norm else (norm, plain)
    tail = text.tail(message)
    tail_norm, tail_plain, _ = text.read(tail) if tail else ("", "", lang)
    return Signals(
        norm=norm,
        lang=lang,
        crisis_rule=first_hit(crisis.RULES, texts),
        general_or_past=_general_or_past(plain),
        dosing_rule=first_hit(dosing.RULES, texts),
        other_substance=scope.other_withdrawal(plain),
        scoped=scope.in_scope(norm, plain),
        personal=scope.personal(norm),
        no_amount_asked=dosing.not_a_request(norm),
        tail=tail,
        tail_norm=tail_norm,
        tail_general_or_past=bool(tail and _general_or_past(tail_plain)),
    )


def _general_or_past(plain: str) -> bool:
    return bool(_GENERAL_QUESTION.search(plain) or _PAST.search(plain)
                or (len(plain) <= text.LONG and _WITHDRAWAL_ONLY(plain)))


def decide(signals: Signals, probs: Mapping[str, float] | None,
           thresholds: Mapping[str, float],
           tail_probs: Mapping[str, float] | None = None) -> Verdict:
    """The outcome, in the policy's order. `probs` is None where no model is loaded;
    `tail_probs` are the model's probabilities for the end of a long message."""
    lang = signals.lang

    def says(p: Mapping[str, float] | None, kind: str, threshold: float) -> bool:
        return p is not None and p[kind] >= threshold and p[kind] == max(p.values())

    def model_says(kind: str) -> bool:
        return says(probs, kind, thresholds.get(kind, 1.01))

    if signals.crisis_rule:
        return Verdict("crisis", f"rule:{signals.crisis_rule}", lang)
    if signals.tail is None:
        if model_says("crisis") and not signals.general_or_past:
            return Verdict("crisis", "model:crisis", lang)
    elif (says(tail_probs, "crisis", thresholds.get("crisis_tail", 1.01))
          and not signals.tail_general_or_past):
        return Verdict("crisis", "model:crisis_tail", lang)
    if signals.dosing_rule:
        return Verdict("dosing_refusal", f"rule:{signals.dosing_rule}", lang)
    if model_says("dosing_refusal") and not signals.no_amount_asked:
        return Verdict("dosing_refusal", "model:dosing_refusal", lang)
    if signals.other_substance:
        return Verdict("out_of_scope", "rule:other_substance", lang)
    if not signals.scoped and (probs is None or model_says("out_of_scope")):
        return Verdict("out_of_scope", "model:out_of_scope" if probs else "rule:no_scope_word",
                       lang)
    return Verdict("pass", "in_scope" if signals.scoped else "model:pass", lang,
                   signals.personal)


def check(message: str, vector: np.ndarray | None = None,
          model: GuardModel | None = None,
          embed: Callable[[str], np.ndarray] | None = None) -> Verdict:
    """The guard's outcome for one message. `vector` is its sentence embedding; `embed` embeds
    the end of a long message (without it, only the rules may call a long message a crisis)."""
    signals = read(message)
    if model is None or vector is None:
        return decide(signals, None, {})
    tail_probs = (model.probabilities(embed(signals.tail), signals.tail_norm)
                  if signals.tail is not None and embed is not None else None)
    return decide(signals, model.probabilities(vector, signals.norm), model.thresholds,
                  tail_probs)


def forget() -> None:
    """Empty the rules' caches: the next message is read as if none had come before."""
    rules_forget()


normalise = text.normalise
strip_accents = text.strip_accents

__all__ = ["GuardKind", "Signals", "Verdict", "check", "decide", "forget", "normalise", "read",
           "strip_accents"]
