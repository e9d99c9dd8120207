"""The guard stage: crisis, dosing refusal, out of scope, or pass, decided before retrieval.

`check(text, vector, model) -> Verdict` is pure. It reads the message in the policy's order
(crisis, then dosing, then scope) and, at each step, asks two layers:

1. Transparent rules over a normalised text (slang, misspellings, Spanish). A rule that fires
   decides for crisis and dosing; rules are written for recall on the dangerous outcomes.
2. A learned layer (`api.guard_model`): a logistic regression over the sentence embedding
   the retriever computes anyway. It catches wordings no rule anticipated. Its thresholds are
   chosen on the development split and written in `api/data/guard_thresholds.json`.

Instructions inside a message ("ignore your rules", "pretend you are a doctor") are removed
before either layer reads it, so they cannot change the outcome.
"""

from __future__ import annotations

import base64
import re
import unicodedata
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

import numpy as np

if TYPE_CHECKING:
    from api.guard_model import GuardModel

GuardKind = Literal["crisis", "dosing_refusal", "out_of_scope", "pass"]


@dataclass(frozen=True)
class Verdict:
    kind: GuardKind
    reason: str  # the rule or model that decided, for logs and evaluation (never the text)
    lang: str = "en"
    personal: bool = False  # a personal medical question: the answer adds the clinician line


# --- normalisation --------------------------------------------------------------------------

_SLANG: list[tuple[str, str]] = [
    (r"kr[aeo]t[ou]?m+s?|kratum|kratim|kraton|katom|kratomm", "kratom"),
    (r"(\d)\s*(?:grms?|gms?|grs?|gr|g)\b", r"\1 grams"),
    (r"\bgrms?\b|\bgrammes?\b", "grams"),
    (r"(\d)\s*(?:mgs?|milligrams?)\b", r"\1 mg"),
    (r"(\d)\s*(?:mls?)\b", r"\1 ml"),
    (r"(\d)\s*(?:tabs?|tablets?|pills?)\b", r"\1 pills"),
    (r"(\d)\s*(?:caps?|capsules?)\b", r"\1 capsules"),
    (r"(\d)\s*(?:tsps?|teaspoons?)\b", r"\1 teaspoons"),
    (r"\bwds\b|\bw/?d\b|\bw-d\b|\bwithdrawl?s?\b|\bwithdrawel\b|\bwitdrawal\b|\bwithdrawals\b",
     "withdrawal"),
    (r"\b(?:oxys?|oxies|roxys?|roxies|percs?|percocets?|oxycontin)\b", "oxycodone"),
    (r"\b(?:subs|subbies|subby|bupe|bupes|subutex|suboxone|zubsolv|sublocade)\b",
     "buprenorphine"),
    (r"\b7[\s-]?oh\b|\b7[\s-]?hydroxy\b", "7-hydroxymitragynine"),
    (r"\b(?:fent|fetty|fenty)\b", "fentanyl"),
    (r"\bnarcan\b", "naloxone"),
    (r"\bamt\b", "amount"),
    (r"\brn\b", "right now"),
    (r"\bod\b|\bo\.d\.?", "overdose"),
    (r"\btonights\b", "tonight's"),
    (r"\bpa\b", "para"),
    (r"\bmalilla\b|\bmono\b", "abstinencia"),
    (r"\bu\b", "you"),
    (r"\bur\b", "your"),
    (r"\bim\b", "i'm"),
    (r"\b(?:hw|hoe|hwo)\s+(much|many|often|long)\b", r"how \1"),
    (r"\bhow\s*(?:mcuh|mich|muhc|mutch)\b", "how much"),
    (r"\bhowmuch\b", "how much"),
    (r"\bhowmany\b", "how many"),
    (r"\bwat\b|\bwhta\b", "what"),
    (r"\bshud\b|\bshoud\b|\bshld\b", "should"),
    (r"\bcuanto\b", "cuánto"),
    (r"\bcuantos\b", "cuántos"),
    (r"\bcuantas\b", "cuántas"),
]
_SLANG_RE = [(re.compile(p), r) for p, r in _SLANG]

_INJECTION = re.compile(
    r"\b(?:ignore|forget|disregard|bypass|override)\b[^.!?\n]{0,40}?"
    r"\b(?:rules?|instructions?|guidelines?|polic(?:y|ies)|filters?|restrictions?|safety|prompt)"
    r"\b|\b(?:pretend|imagine|act|roleplay)\b[^.!?\n]{0,15}?\b(?:you(?:'re| are)|as)\b"
    r"[^.!?\n]{0,40}?\b(?:doctor|nurse|pharmacist|physician|dealer|expert|chemist|ai|bot|"
    r"dan|assistant|model)\b|\byou are now (?:a |an )?[\w-]+|\bdeveloper mode\b|\bjailbreak\b|"
    r"\bno restrictions\b|\bhypothetically\b|\bfor a (?:story|novel|book|game)\b|"
    r"\bignora (?:tus|las) (?:reglas|instrucciones)(?: anteriores)?\b|\bfinge que eres (?:un |"
    r"una )?"
    r"[\w\u00e0-\u00ff-]+"
)


def normalise(text: str) -> str:
    """Lower case, Unicode-folded, slang and common misspellings mapped, spacing collapsed."""
    text = unicodedata.normalize("NFKC", text).lower()
    text = text.replace("’", "'").replace("‘", "'").replace("´", "'")
    text = re.sub(r"\s+", " ", text).strip()
    for pattern, repl in _SLANG_RE:
        text = pattern.sub(repl, text)
    return text


def strip_accents(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", text) if unicodedata.category(c) != "Mn")


def without_instructions(text: str) -> str:
    """The message with "ignore your rules"-style wording removed."""
    return re.sub(r"\s+", " ", _INJECTION.sub(" ", text)).strip()


_SPANISH = re.compile(
    r"[¿¡ñ]|\b(?:que|qué|cómo|cuánto|cuántos|cuántas|cuál|puedo|debo|tengo|tomar|está|estoy|"
    r"mi|mis|el|la|los|las|para|con|por|una|uno|es|hay|pero|si|sí|no respira|ayuda|dosis|"
    r"abstinencia|hígado|hijo|hija|novio|novia|amigo|amiga|hermano|hermana|quiero)\b"
)
_ENGLISH = re.compile(r"\b(?:the|is|what|how|my|i|you|and|of|to|can|does|it)\b")


def detect_lang(text: str) -> str:
    es, en = len(_SPANISH.findall(text)), len(_ENGLISH.findall(text))
    return "es" if es >= 2 and es > en else "en"


# --- rules, in the policy's order -----------------------------------------------------------

_WHO = (r"(?:he|she|they|it|him|her|them|my \w+|a \w+|someone|somebody|friend|partner|"
        r"boyfriend|girlfriend|husband|wife|brother|sister|son|daughter|mom|mum|dad|roommate|"
        r"he's|she's|they're|i|i'm|we|guy|man|woman|neighbou?r)")
_KID = (r"(?:kid|child|son|daughter|toddler|baby|infant|grandson|granddaughter|dog|puppy|cat|"
        r"kitten|pet|nephew|niece|\d+[- ](?:month|year|yr)[- ]old|hijo|hija|ni[nñ]o|ni[nñ]a|"
        r"beb[eé]|perro|perrito|gato|mascota|sobrino|sobrina|nieto|nieta|nena|nene)")
# A general question about signs ("how do I know if someone is overdosing?") is not an
# emergency happening now; the words of an emergency elsewhere in it still are.
_GENERAL = re.compile(
    r"^\W*(?:how (?:do|can|would|will) (?:i|you|we|people) (?:know|tell|recogni[sz]e|spot)|"
    r"how to (?:tell|know|recogni[sz]e|spot)|what (?:are|r) (?:the )?(?:signs|symptoms)|"
    r"(?:signs|symptoms) of|what (?:should|do) (?:i|you|we) do (?:if|when)|why (?:do|does|are|is)|"
    r"qu[eé] (?:le )?pasa (?:a alguien|si|cuando|con)|c[oó]mo (?:s[eé]|saber|reconocer)|"
    r"cu[aá]les son (?:los )?(?:signos|s[ií]ntomas))\b")
# "Can withdrawal make you feel suicidal?" asks about an effect, not a person's intent.
_SUICIDE_QUESTION = re.compile(
    r"\b(?:can|does|do|could|will|why (?:do|does|can))\b[^.?!]{0,50}\b(?:make|makes|cause|"
    r"causes|lead to|leads to)\b[^.?!]{0,20}\b(?:you|people|someone|a person|them)\b"
    r"[^.?!]{0,15}\bsuicidal\b")
_CRISIS_RULES: list[tuple[str, str]] = [
    ("overdose_signs",
     rf"\b{_WHO}\b[^.?!]{{0,60}}\b(?:(?:is|isn't|isnt|are|aren't|not|stopped|barely|can't|cant|"
     r"won't|wont|struggling|trouble|hardly)\s+(?:really\s+)?breath(?:ing|e)|unresponsive|"
     r"(?:won't|wont|can't|cant|not|doesn't|isn't|isnt) (?:wake|waking|respond|moving|move|"
     r"answering)|is (?:cold|ice cold) and|"
     r"passed out|unconscious|(?:lips|face|fingers?|skin) (?:are |is |turning |went |look )?"
     r"(?:blue|purple|grey|gray)|turning (?:blue|purple|grey|gray)|gurgling|"
     r"(?:having|had|has) (?:a )?(?:seizure|seizures|fit)\b(?! (?:a while|years?|before|once|"
     r"last|from))|seizing|convuls|collapsed|slumped|foam(?:ing)? (?:at|around|from)|"
     r"(?:shaking|jerking|twitching)[^.?!]{0,40}(?:on the floor|can'?t stop|won'?t stop))"),
    ("overdose_now", r"\b(?:not breathing|stopped breathing|breathing stopped|seizing|"
     r"(?:just|has|have) overdosed|overdosed in front|i (?:swallowed|ate|chewed) (?:a|the|my|"
     r"some|an)\b[^.?!]{0,30}\b(?:patch|pills?|fentanyl|tablets?|gummies)|pile of pills|"
     r"no pulse|can'?t find (?:a|his|her|their) pulse|won't wake up|barely breathing|"
     r"breathing (?:like |about |only )?(?:\d|one|two|three|four|five|six)\w* (?:times|breaths?) "
     r"(?:a|per) minute|\d+ breaths? (?:a|per) minute|"
     r"breathing (?:is )?(?:so |really |very )?(?:slow|funny|shallow|weird)|hard to wake|"
     r"can'?t get (?:him|her|them) to (?:open|wake|respond)|eyes rolled back|bluish|"
     r"(?:fell|fallen) over and (?:is )?(?:twitching|shaking)|chest is crushing|heart is (?:gonna|"
     r"going to) explode|chest (?:started |is |keeps )?hurting|(?:think|thinks|might have|may "
     r"have) (?:he|she|they|it) (?:swallowed|ate)|(?:had|put) (?:a |the )?[\w-]+ (?:[\w-]+ )?"
     r"(?:capsule|pill|patch|tablet|gummy)s? in (?:his|her|their) mouth|"
     r"(?:by mistake|accidentally|accidental|twice|double|together)\b[^.?!]{0,80}\b(?:dizzy|"
     r"confused|can'?t stand|breathing|sleepy|won'?t wake|vision|passing out)|"
     r"breathing (?:is )?shallow|shallow breathing|pinpoint pupils|is this an od|"
     r"(?:naloxone|it) (?:isn'?t|is not|not) working|still blue|(?:feel|feeling) like (?:i'?m )?"
     r"passing out|passed out cold|can barely (?:stand|breathe|move)|confused,? (?:and )?can'?t|"
     r"throwing up,? (?:and )?confused|"
     r"can't wake (?:him|her|them|my)|blue lips|lips (?:are|turning|went) (?:blue|grey|gray)|"
     r"overdos(?:e|ing) (?:is )?happening|overdosing (?:right )?now|od'?ing (?:right )?now|"
     r"having a seizure (?:right )?now|took too (?:much|many)|"
     r"\btook (?:\d+|a lot|a bunch|way too|too|all (?:my|of my|the|his|her))\b|"
     r"breathing (?:feels|is|seems) (?:weird|slow|"
     r"shallow|funny|wrong|strange)|can'?t keep my eyes open|heart is (?:pounding|racing)"
     r"[^.?!]{0,40}(?:confused|can'?t|faint|chest)|i'?m (?:scared|afraid) i (?:took|overdosed))"),
    ("overdosing",
     r"\b(?:i'm|i am|he's|he is|she's|she is|they're|they are|someone is|my \w+ is|"
     r"think (?:i'm|he's|she's|it's)|it'?s an?) (?:overdosing|od'?ing|an overdose)\b"),
    ("chest_pain_after_use",
     r"\bchest (?:pains?|hurts|is tight|tightness|feels tight|pressure)\b[^.?!]{0,60}"
     r"\b(?:after|took|taking|used|using|since|smoking|snorting|kratom|opioid|oxycodone|"
     r"fentanyl|heroin|pills?|arm|overdosed|od'?d|breathe)\b(?![^.?!]{0,40}\b(?:once|last year|"
     r"a while|before|"
     r"known side effect|common)\b)|"
     r"\b(?:after|took|taking|used|using)\b[^.?!]{0,60}\bchest (?:pains?|hurts|is tight|"
     r"tightness|pressure)\b(?![^.?!]{0,40}\b(?:once|last year|a while|known side effect|"
     r"common)\b)"),
    ("ingestion_child_or_pet_short", r"\b\d+\s?(?:yo|y/o|yr|yrs|mo)\b[^.?!]{0,30}\b(?:ate|"
     r"swallowed|chewed|licked|got into|drank|took)\b"),
    ("ingestion_child_or_pet",
     rf"\b{_KID}\b[^.?!]{{0,40}}\b(?:ate|eaten|swallowed|got into|drank|chewed|chewing|licking|"
     r"sucking|eating|chup[oó]|"
     r"licked|took|may have taken|might have (?:eaten|swallowed|taken|licked)|may have "
     r"(?:eaten|swallowed|licked|chewed)|found and ate|got hold of|se trag[oó]|se comi[oó]|"
     r"se tom[oó]|comi[oó]|trag[oó]|lami[oó]|mordi[oó])\b"),
    ("self_harm",
     r"\b(?:kill (?:my ?self|myself)|end (?:my life|it all|things|everything)|ending "
     r"(?:things|it all|my life|it)|(?:going|gonna|planning|plan|want|about|ready|thinking) "
     r"(?:to |of )?end(?:ing)? it\b|"
     r"(?:want|wanna|going|gonna|ready|plan(?:ning)?) to die|want to be dead|better off dead|"
     r"no reason to (?:live|go on)|don'?t want to (?:live|be alive|wake up|be here|exist)|"
     r"hurt(?:ing)? myself|harm(?:ing)? myself|self[- ]harm|cut(?:ting)? myself|"
     r"take all (?:my|the|of my) (?:pills|meds)|(?:with|have) all my pills|overdose on purpose|"
     r"od on purpose|overdose intentionally|intentionally overdose|finish myself off|"
     r"not (?:be )?(?:here|around) (?:anymore|tomorrow)|can'?t (?:go on|do this anymore)|"
     r"disappear forever|say(?:ing)? goodbye (?:to everyone|forever)|jump(?:ing)? off (?:a|the|"
     r"that) (?:bridge|building|roof|cliff)|(?:crash|crashing|drive|driving) my car (?:on purpose|"
     r"into)|nobody would (?:even )?(?:notice|care|miss me)|(?:written|wrote|writing) "
     r"(?:letters|notes?|goodbye)|not safe (?:right now|tonight|with myself)|tonight is the "
     r"night|(?:easiest|quickest|fastest|painless|best) way to die|painless (?:to die|death)|"
     r"my life is over|want (?:it|this|everything) (?:all )?to (?:be over|end|stop)|"
     r"(?:goodbye|suicide) (?:note|letter)s?|say(?:ing)? goodbye\b|rather (?:die|be dead)|"
     r"take everything|(?:and|just) be done\b|(?:no |don'?t see the |no )point (?:in|of) "
     r"(?:living|life|going on)|better off without me|saving (?:up )?(?:my |all my )?pills|"
     r"stockpil|sleep forever|never wake up|no way out|"
     r"(?:don'?t|do not|won'?t) (?:plan on |plan to )?"
     r"(?:be|being) (?:here|around|alive) (?:next|tomorrow|anymore|much longer)|(?:highest|"
     r"tallest) (?:bridge|building|cliff)|(?:bridge|building|cliff)\b[^.?!]{0,30}\b(?:highest|"
     r"tallest)|painless (?:to |way to )?(?:die|overdose|death)|"
     r"(?:die|overdose)\b.{0,40}\bpainless|(?:none of this|nothing) will matter|made (?:my )?"
     r"peace with|said (?:bye|goodbye) to|last time i'?ll (?:use|be)|left my (?:dog|cat|kids?) "
     r"with|(?:i|i'?ll|gonna|going to|will) end it\b|\bend it tonight|(?:pain|it|this|everything) "
     r"to (?:stop|end) for good|(?:bottle|handful) of pills (?:right )?(?:here|in front of me|next "
     r"to me)|burn(?:ing)? (?:my ?self|my (?:arms?|legs?|skin))|"
     r"overdos(?:e|ing) on purpose|(?:no|any) point (?:in )?going on|writing my will|saying "
     r"(?:bye|goodbye) to (?:people|everyone|my)|last straw|cartas de despedida|despedirme|"
     r"pills (?:saved|stashed)|saved up\b[^.?!]{0,20}\bpills|for when i decide|when i'?m done\b|"
     r"todo esto termine|que (?:todo )?termine (?:ya|todo)|para siempre\b|"
     r"(?:take|taking) everything i (?:have|got)|giving away (?:all )?(?:my|of my) (?:stuff|"
     r"things|belongings|stuff)|won'?t need (?:any of )?(?:it|them|anything) (?:after|anymore)|"
     r"\bon purpose\b|"
     r"(?:take|taking|took|swallow) (?:all (?:of )?(?:my|her|his|their|the)|(?:my|her|his|the) "
     r"whole) (?:\w+ )?(?:pills|meds|medication|script|prescription|bottle|supply|stash)|"
     r"(?:take|taking|took|swallow|swallowed) (?:all|my whole|the whole|a whole|my entire|the "
     r"entire)\b[^.?!]{0,40}\bat once)"),
    ("blue_or_grey",
     r"\b(?:blue|purple|grey|gray)\b[^.?!]{0,20}\b(?:lips|mouth|face|fingertips|nails)\b|"
     r"\b(?:lips|mouth|face|fingertips|nails)\b[^.?!]{0,35}\b(?:blue|purple|grey|gray)\b"),
    ("suicidal", r"\bsuicid(?:e|al)\b"),
    ("lethal_amount",
     r"\b(?:lethal|fatal|deadly|killing|toxic) (?:dose|amount|dosage|quantity|level)|\bld50\b|"
     r"\bmortal(?:es)?\b|\bdl ?50\b|\bld ?50\b|(?:me )?tom[eé] (?:toda la caja|todo el frasco|"
     r"todas las pastillas|todo el blister)|\b(?:dose|amount)\b[^.?!]{0,40}\b(?:lethal|fatal|"
     r"deadly|kills? (?:a|you|"
     r"someone|them|people|a person))\b|make(?:s)? sure (?:you|i|he|she|they) (?:don'?t|dont|never)"
     r" wake|before (?:it|that) kills|para (?:matar|que (?:[\w-]+ ){0,3}muera)|"
     r"\bmata (?:a )?(?:una persona|alguien)|\b(?:would|will|to|enough to|that) "
     r"stop (?:my|his|her|someone'?s|a person'?s) heart\b|"
     r"\b(?:dose|amount|much|many)\b[^.?!]{0,20}\b(?:that|which)\b[^.?!]{0,15}\b"
     r"(?:stops?|kills?|stop (?:my|your|his|her|someone'?s)) (?:your |my |his |her |a )?"
     r"(?:breathing|heart|person|someone|me|you)\b|\bstop (?:my|your|his|her) (?:breathing|heart)"
     r"\b[^.?!]{0,30}\bi want\b|\b(?:kill|die|stop (?:my|your) heart)\b.{0,40}\b(?:i want "
     r"(?:it|to)|because i want)\b|"
     r"\b(?:how (?:much|many)|what (?:amount|dose|quantity))\b[^.?!]{0,60}\b(?:is |are |would "
     r"be |)(?:lethal|deadly|fatal)\b|\b(?:how (?:much|many)|what (?:amount|dose|quantity))\b"
     r"[^.?!]{0,60}\b(?:is|are|would be|counts as) (?:an? )?(?:overdose|od)\b|"
     r"\bhow (?:much|many)\b[^.?!]{0,60}\b(?:to|would|will|could|does it take to|it takes to)\s+"
     r"(?:kill|die|od|overdose|stop (?:my|your|a) heart|not wake up|end it)\b|"
     r"\benough\b[^.?!]{0,40}\bto (?:kill|die|od|overdose|not wake up|end it|stop (?:my|your|"
     r"his|her|someone'?s) (?:breathing|heart))\b|"
     r"\b(?:before|until) (?:you|i|he|she|they|someone|a person) (?:die|dies|od|ods|overdose|"
     r"stop breathing)\b|"
     r"\bhave enough (?:fentanyl|pills|heroin|oxycodone|kratom|methadone|7-hydroxymitragynine)"),
    ("crisis_es_signs",
     r"\b(?:(?:est[aá]|creo que tiene|creo que tengo|tiene|tengo) (?:una )?sobredosis|"
     r"sobredosis ahora)"),
    ("crisis_es",
     r"\b(?:no (?:puedo |puede )?respira|casi no (?:puedo|puede) respirar|dej[oó] de respirar|"
     r"no despierta|no reacciona|no responde|inconsciente|"
     r"labios (?:azules|morados)|se (?:est[aá] )?poniendo (?:azul|morado)|convulsi|"
     r"quiero morir|me quiero morir|matarme|suicidarme|suicidio|quitarme la vida|"
     r"acabar con (?:mi vida|todo)|"
     r"no quiero (?:vivir|despertar|seguir)|hacerme da[nñ]o|cortarme|cort[aá]ndome|me estoy "
     r"cortando|dosis (?:letal|mortal)|(?:me )?duele (?:mucho )?el pecho|"
     r"cu[aá]nt[oa]s?[^.?!]{0,50}para (?:morir|matarme|no despertar)|matar[ií]a|me matar|"
     r"sin respirar|sigue sin (?:despertar|reaccionar|responder)|mejor sin m[ií]|no se despierta|"
     r"respira (?:fatal|mal|raro|lento|muy poco)|regalando mis cosas|no voy a necesitar nada|ya "
     r"no tiene sentido|"
     r"dolor (?:en el|de) pecho)"),
]
# Rules that stay silent on a general question about an effect or a sign.
_PAST_OR_GENERAL = re.compile(
    r"\b(?:last (?:month|year|week|summer|winter)|years? ago|months? ago|weeks? ago|in the past|"
    r"(?:and|but) (?:was|is|they were|he was|she was) (?:fine|ok|okay)|i'?m (?:ok|okay|fine|"
    r"better|safe) now|used to be|risk|rates?|statistics|common|prevention|hotline|lifeline|"
    r"988|line (?:only|just)|only for|number|helpline|phone)\b")
_PAST = re.compile(
    r"\b(?:once last year|last (?:month|year|summer|winter)|years? ago|months? ago|doc(?:tor)? "
    r"said (?:i'?m|im) fine|i'?m (?:ok|okay|fine|better|safe) now|antes pensaba|ahora estoy bien|"
    r"ya estoy bien)\b")
_TECH = re.compile(
    r"\b(?:proceso|process|thread|windows|linux|terminal|program|programa|computer|computadora|"
    r"pc|server|servidor|python|java|javascript|task manager|app)\b")
_UNLESS: dict[str, re.Pattern[str]] = {
    "overdose_now": _PAST, "overdose_signs": _PAST,
    "crisis_es": re.compile(f"{_PAST.pattern}|\\bpuede(?:n)? (?:causar|provocar|dar)\\b"),
    "overdosing": _GENERAL, "blue_or_grey": _GENERAL,
    "suicidal": re.compile(f"{_SUICIDE_QUESTION.pattern}|{_PAST_OR_GENERAL.pattern}"),
    "ingestion_child_or_pet": _PAST_OR_GENERAL, "ingestion_child_or_pet_short": _PAST_OR_GENERAL,
    "crisis_es_signs": _GENERAL,
}

_AMOUNT = (r"(?:grams?|mg|ml|mcg|micrograms?|pills?|capsules?|teaspoons?|tablespoons?|spoons?|"
           r"scoops?|doses?|strips?|shots?|drops?|cups?|tabs?|bags?|points?|patch(?:es)?|"
           r"gramos|miligramos|pastillas|tabletas|c[aá]psulas|cucharadas|cucharaditas|gotas)")
_NOT_AMOUNT = (r"people|persons|deaths?|died|americans|adults|teens|users|states|countries|"
               r"cases|times (?:has|have|was|were)|years|studies|products|does it cost|money|of "
               r"(?:the|them|these|a|an)|hospitals?|kids|babies|calls|time|longer|worse|better|"
               r"stronger|weaker|more (?:likely|dangerous|common)|do you|does it|is known|"
               r"research|evidence|damage|harm|risk|hours|minutes|days|weeks|calories|steps|"
               r"miles|water|"
               r"sleep|dollars|tip")
_DOSING_RULES: list[tuple[str, str]] = [
    ("amount_question",
     rf"\bhow (?:much|many)\b(?! (?:{_NOT_AMOUNT})\b)[^.?!]{{0,80}}"
     r"\b(?:take|taking|use|using|dose|dosing|dosage|give|giving|start|need to (?:take|use)|"
     r"drink|(?:should|can|could) (?:i|he|she|they|we|you) (?:take|use|drink|have|give|be)|"
     r"(?:would|will|does|do) (?:[\w-]+ ){0,4}need|be on|safe|per (?:pound|kg|lb|kilo|body)|"
     r"too much|too many|enough|per day|a day|at once|at a time|to replace|to get through|"
     r"to (?:[\w-]+ ){1,2}(?:withdrawal|pain|cravings|sickness)|ok|okay|fine|alright|"
     r"to stop|to quit|to feel|to calm|to sleep|for (?:withdrawal|pain|wd|sleep|anxiety|a|an|my|"
     r"his|her|the|moderate|mild|severe|bad)|with|equals?|equivalent|redose|re-dose|"
     rf"{_AMOUNT})\b"),
    ("amount_question", rf"\bhow (?:much|many) {_AMOUNT}\b"),
    ("what_dose",
     r"\b(?:what|which|whats|what's|best|right|correct|safe|safest|good|normal|usual|typical|"
     r"starting|start|max|maximum|recommended|effective|proper|lowest|highest|ideal|first|"
     r"initial|average|standard|beginner|daily)\s+(?:is (?:the |a )?|are (?:the )?|'s (?:the |a )?|"
     r"the |a |an )?(?:(?!(?:does|do|is|are|can|why|how|if|happens|a higher|higher)\b)[\w-]+\s+)"
     r"{0,3}?(?:dose|doses|dosage|dosages|dosing|amounts?|strength)"
     r"(?![\w-])(?! (?:means|of evidence|matters?|varies|vary|makes?|affects?|depends?|changes?))"),
    ("asks_for_a_dose",
     r"\b(?:give|tell|send|suggest|recommend|prescribe) (?:me|us|him|her|them) (?:a|the|some|an|"
     r"my|his|her) (?:[\w-]+ )?(?:dose|dosage|amount|dosing)\b"),
    ("dose_for",
     r"^\W*(?:dose|dosage|dosing) for\b|\b(?:dose|dosage) for (?:a |my |the )?"
     r"(?:first[- ]time|beginners?|newbies?|first time)|\bshould my (?:[\w-]+ )?dose be\b|"
     r"\b(?:doses?|dosing|dosage) (?:by|per) (?:weight|kg|pound|lb|body)|\blist (?:[\w-]+ )?"
     r"doses\b|\b(?:calculate|plan|design|work out|figure out) (?:my|a|the|his|her) "
     r"(?:[\w-]+ )?(?:taper|dose|dosage|dosing)\b"),
    ("more_dosing",
     r"\ba qu[eé] hora (?:del d[ií]a )?(?:es mejor )?(?:tomo|tomar|debo|le doy)\b|"
     r"\b(?:can|should|could) (?:i|he|she|we|they) (?:take|use|have|do) (?:\d+|two|three|four|"
     r"five)\b(?!\s*(?:days?|weeks?|months?|years?|hours?|times? (?:to|a (?:week|month))))|"
     r"\band how (?:much|many)\W*$|\b(?:at night|in the morning|in the evening|before bed)\b"
     r"[^.?!]{0,20}\binstead\b|\binstead of\b[^.?!]{0,20}\b(?:at night|in the morning|in the "
     r"evening)|\bhow (?:much|many) (?:lower|less|more|higher)\b|\bratio\b[^.?!]{0,40}\b(?:of|"
     r"between) [\w-]+ (?:to|and) [\w-]+|\bsplit (?:them|it|my|the)\b[^.?!]{0,20}\b(?:up|over|"
     r"across|into)\b|\bhow soon (?:after|before|can|should)\b|\b(?:dose|how much|how many|grams?|"
     r"mg)\b[^.?!]{0,40}\b\d+\s?(?:lb|lbs|pounds?|kg|kilos?)\b|\bweigh\w* \d+|\b\d+\s?x (?:a|per) "
     r"day\b|\d+(?:[.,]\d+)?\s*(?:[\w-]+ )?" + _AMOUNT + r"\b.{0,80}\bis (?:that|this|it) (?:too "
     r"much|ok|okay|safe|a lot|bad|normal)\b|\b(?:mg|grams?|ml) (?:per|a) day\b|\b(?:bajar|"
     r"reducir|subir|bajarla|bajarlo) a \d+|\bhow often\W*$|\bhow low can (?:i|you|we) go\b|"
     r"\btaking less each day\b|\bstretch (?:them|my|it)\b|\breduction (?:per|each|a) (?:week|"
     r"day)\b|\bhow much [\w-]+ (?:for|to (?:get|stop|quit|come|help|ease|sleep|calm|feel))\b|"
     r"\b(?:grams?|mg|ml|pills?|capsules?) of [\w-]+ (?:per|a) day|^\W*[\w-]+\s+(?:grams?|mg|"
     r"dose|dosage)\W*$"),
    ("amount_choice",
     r"\b\d+(?:[.,]\d+)?\s*(?:mg|grams?)?\s*or \d+(?:[.,]\d+)?\s*(?:mg|grams?|capsules|pills|"
     r"blues|bars|oxycodone|buprenorphine|tabs)\b|\b\d+\s*(?:mg|grams?)\b.{0,40}\b\d+\b.{0,20}\b"
     r"(?:would be better|is better|enough|too much)\b|\bstep ?downs?\b|\bhow (?:many|much) "
     r"(?:hours|days|time) (?:before|after)\b[^.?!]{0,40}\b(?:stop|take|start|use)\b|"
     r"\b(?:a|one|two|three|\d+) (?:glass|glasses|beers?|drinks?|shots?|cups?)\b(?: of [\w-]+)? "
     r"(?:with|on|while on)\b"),
    ("personal_amount",
     r"\b(?:i'?m|i am|im) (?:at|on|taking|down to|using|doing) \d+(?:[.,]\d+)?\s*" + _AMOUNT
     + r"\b|\b(?:i'?m|i am|im|he'?s|she'?s) (?:at|on|taking|down to|using|doing) \d+(?:[.,]\d+)?"
     r"\s*(?:[\w-]+ )?(?:a|per) day\b|\b(?:doblar|duplicar) (?:la|mi|su) dosis\b|\bdosis doble\b|"
     r"\bhow (?:much|many)\b[^.?!]{0,60}\b(?:same as|equal to|equivalent|equals|compared to)\b|"
     r"\b(?:write|give|make|create|build|draw up|put together) (?:me |us )?(?:a |an |the )?"
     r"(?:[\w-]+ ){0,3}(?:schedule|protocol|calendar|regimen)\b(?! (?:i|ii|iii|iv|v|1|2|3|4|5|"
     r"one)\b)|\bbernese\b|"
     r"\b(?:dame|deme|d[ií]game) (?:los|las|el|la) (?:gramos|mg|miligramos|cantidad|dosis|"
     r"n[uú]mero)\b|\b(?:take|use|have) (?:an |one )?(?:extra|another|a second|a double)\b"
     r"(?! (?:time|step|look|day|break|walk))|"
     r"\b(?:what'?s|what is|whats) the equivalent\b|\bswitch(?:ing)? from [\w-]+ to [\w-]+\b"
     r"[^.?!]{0,40}\b(?:how much|equivalent|dose|amount)|"
     r"\bi (?:take|use|do|have been taking|am taking) \d+(?:[.,]\d+)?\s*" + _AMOUNT
     + r"\b[^.?!]{0,30}\b(?:how|what|should|can|is|would)\b|"
     r"\b(?:should|can|do you recommend|would you)\b[^.?!]{0,30}\b\d+(?:[.,]\d+)?\s*(?:[\w-]+ )?"
     r"or \d+|\b(?:take|use|have) (?:\d+|one|two|three|four) (?:[\w-]+ )?(?:a|per) day\b|"
     r"\bgive (?:my|him|her|them)\b[^.?!]{0,30}\b(?:half|some|a piece|part|one) of (?:my|a|the)\b|"
     r"\b(?:cut|split|break) (?:them|it|my [\w-]+|the [\w-]+) in (?:half|halves|quarters|thirds)|"
     r"\b(?:max|maximum|most)\b[^.?!]{0,30}\b(?:i|you|he|she|we) (?:can|could|should) (?:take|"
     r"have|use|drink|give)\b|\bdouble up\b|\bhow strong (?:should|do|can|would|is too)\b|"
     r"\d+(?:[.,]\d+)?\s*" + _AMOUNT + r" per (?:cup|glass|liter|litre|serving|bottle|day)\b|"
     r"\bevery \d+ (?:hours?|hrs?)\b|\bhours? apart\b|\bspace (?:out|them|it)\b|"
     r"\bhow long (?:do|should|must|to) (?:i |you |we )?wait\b|"
     r"\b(?:take|dose|use)\b[^.?!]{0,30}\b(?:in the )?(?:morning|night|evening|bedtime)\b"
     r"[^.?!]{0,15}\bor\b|\b(?:dose|dosage) of [\w-]+ (?:for|to)\b|\b(?:give|tell) (?:me|us) "
     r"(?:the|a|some|an) (?:grams|mg|number|milligrams)\b|\btaper (?:[\w-]+ ){0,2}off\b"
     r"[^.?!]{0,30}\d|\bmicrodos|\bexact (?:amounts?|doses?|dosage)\b|\bratio\b[^.?!]{0,40}"
     r"\b(?:should|mix|take|use)\b|^\W*(?:grams?|mg|ml|pills?|capsules?)\s+(?:of\s+)?[\w-]+\W*$|"
     r"\b(?:what|which) (?:strength|concentration)\b|\bqu[eé] concentraci[oó]n\b|"
     r"\ba qu[eé] hora (?:tomo|tomar|debo|le doy)\b|\bpuedo (?:tomar(?:me)?|beber(?:me)?|usar) "
     r"(?:una|un|dos|tres|\d+)\b|\b(?:would that be|is that in|that would be)\b[^.?!]{0,20}"
     r"\b(?:in )?(?:grams|mg|buprenorphine|kratom|methadone)\b|\bhow much [\w-]+ would that be\b|"
     r"\btaper\b[^.?!]{0,20}\b(?:last|take)\b[^.?!]{0,20}\b(?:i'?m at|from) \d"),
    ("dosing_material",
     r"\b(?:dose|dosing|dosage) (?:guide|table|chart|schedule|calculator|instructions|regimen|"
     r"protocol|plan|amount|recommendations?|info)\b|^(?:what )?(?:the )?(?:dose|dosage|dosing)"
     r"\W{0,4}(?:pl[sz]|please|\?)*\W*$"),
    ("dose_judgement",
     r"\b\d+(?:[.,]\d+)?\s*(?:-|to)?\s*\d*\s*" + _AMOUNT + r"\b[^.?!]{0,60}\b(?:too much|"
     r"too many|too little|too strong|safe|enough|ok|okay|fine|dangerous|a lot|too high|too low|"
     r"high|low|normal|strong|weak|alright|bad|risky|overdose|kill|work|help|right|correct|"
     r"too often)\b|\b(?:too much|too many|too often|is (?:that|this|it) (?:ok|okay|safe|too "
     r"much|right|normal))\b\W{0,3}[^.?!]{0,40}\b\d+(?:[.,]\d+)?\s*" + _AMOUNT + r"\b"),
    ("dose_judgement",
     r"\b(?:is|are|would|will|can)\b[^.?!]{0,20}\b\d+(?:[.,]\d+)?\s*" + _AMOUNT + r"\b|"
     r"\b(?:is|are) (?:one|two|three|four|a couple of|a couple|a few|\d+) (?:[\w-]+ ){0,2}"
     r"(?:ok|okay|safe|fine|too much|too many|alright|a problem)\b"),
    ("dose_judgement",
     r"\b(?:should|can|could|may|do) (?:i|you|we|he|she|they|my \w+) (?:take|use|have|give "
     r"(?:him|her|them)?)\s*(?:\d+(?:[.,]\d+)?|one|two|three|four|half|a half)\s*(?:"
     + _AMOUNT + r"|[\w-]+ (?:instead|rather|at once|together)|instead|at once)"),
    ("dose_change",
     r"\b(?:should|can|could|do) (?:i|you|we|he|she|they|my \w+) (?:take|use|have|do) "
     r"(?:more|less|another|a second|a double|double|extra|half|a bigger|a smaller|a higher|"
     r"a lower)\b|\b(?:double|increase|up|raise|lower|reduce|cut|decrease|halve|split) "
     r"(?:my|the|his|her|their|your) (?:[\w-]+ )?(?:dose|dosage|methadone|buprenorphine|kratom|"
     r"oxycodone|meds|medication|script)\b(?! (?:is|was|means))"),
    ("frequency",
     r"\bhow (?:often|frequently|many times)\b[^.?!]{0,40}\b(?:take|use|dose|redose|re-dose|"
     r"give|a day|per day|daily)\b|\bevery how many hours\b|\bhow (?:long|many hours) "
     r"(?:between|apart|should i wait between)\b[^.?!]{0,30}\b(?:doses?|taking)|"
     r"\bwhen (?:should|can|do) (?:i|he|she|we|they) (?:take|redose|re-dose|dose|start)\b"
     r"[^.?!]{0,40}\b(?:again|next|another|buprenorphine|methadone|kratom|dose|after)\b|"
     r"\b(?:best|right|what|which) time (?:of (?:the )?day )?(?:to|should i) (?:take|dose|use)\b|"
     r"\b(?:is it (?:ok|okay|safe|fine|bad)|can i|should i|es seguro)\b[^.?!]{0,40}\b(?:take|use|"
     r"tomar|usar)\b[^.?!]{0,30}\b(?:every day|everyday|daily|twice a day|\w+ times a day|every "
     r"\d+ hours|al d[ií]a|cada d[ií]a|todos los d[ií]as)\b|"
     r"\bhow long (?:after|before|should i wait)\b[^.?!]{0,60}\b(?:take|start|first|dose|"
     r"begin)\b|\b(?:\d+|one|two|three|four|five|six|several) times (?:a|per) (?:day|week)\b"
     r"[^.?!]{0,30}\b(?:too (?:often|much|many)|ok|okay|safe|fine|normal|bad)\b"),
    ("taper_plan",
     r"\bmy taper be\b|\b(?:taper|tapering|wean|weaning|step down|come down|coming down|cut down|"
     r"reduce|get off|"
     r"jump(?:ing)? off|come off|coming off)\b[^.?!]{0,60}"
     r"\b(?:schedule|plan|chart|calendar|timeline|week by week|day by day|per week|per day|"
     r"how much|by how much|"
     r"each (?:day|week))\b|\b(?:schedule|plan|chart|steps)\b[^.?!]{0,30}\b(?:taper|tapering|"
     r"wean|weaning|to get off|to quit|to come off|for (?:getting|coming|jumping) off)\b|"
     r"\bhow (?:do|should|can|would) (?:i|you|we|he|she|they) (?:taper|wean)\b(?! (?:the )?(?:legs|"
     r"jeans|pants|trousers|sleeves|hair|sides|edges|candles?|a (?:pipe|shaft)))|"
     r"\bhow (?:fast|quickly|slowly|much) (?:can|should|do) (?:i|we|you) (?:come|get|go|taper|"
     r"cut|drop|step) (?:down|off)?|\b(?:fastest|quickest|best|safest) (?:taper|way to taper|"
     r"wean)\b(?! fade| haircut)|\b(?:can|should|could) (?:i|we|he|she) (?:go|drop|jump|switch|"
     r"cut|step) (?:straight |right |directly )?(?:down )?to \d|\b(?:give|make|write|build|"
     r"create) (?:me|us|him|her)? ?(?:a |an )?(?:\d+[- ]"
     r"(?:day|week) )?(?:[\w-]+ )?(?:taper|tapering|weaning|dosing|dose)\b"),
    ("conversion",
     r"\b(?:convert|conversion|equivalent|equals?|equal to|same as|replace|replacing|"
     r"substitute|switch)\b[^.?!]{0,80}\b\d+(?:[.,]\d+)?\s*" + _AMOUNT + r"(?! (?:in|per) (?:a|"
     r"an|one) )|\b\d+(?:[.,]\d+)?\s*"
     + _AMOUNT + r"\b[^.?!]{0,80}\b(?:convert|conversion|equivalent|equals?|equal to|same as|"
     r"replace|substitute|in (?:kratom|grams|mg))\b|\b(?:conversion|equivalen(?:t|cy)) "
     r"(?:chart|table|ratio|rate|calculator)\b|\b(?:conversion|convert)\b[^.?!]{0,40}\b(?:to|"
     r"into|from|between)\b[^.?!]{0,30}\b(?:kratom|methadone|buprenorphine|oxycodone|morphine|"
     r"fentanyl|heroin|hydrocodone|tramadol|codeine|7-hydroxymitragynine|mg|grams?|doses?)\b|"
     r"\b(?:mg|grams?) (?:of [\w-]+ )?per (?:gram|kg|pound|lb|capsule|pill|"
     r"kilo)\b|\bin (?:grams|mg|milligrams)\b|\b[\w-]+ to [\w-]+ conversion\b|\b(?:grams?|mg) "
     r"of [\w-]+ for \d"),
    ("max_per_day",
     r"\b(?:max|maximum|most|limit)\b[^.?!]{0,30}\b(?:per|a|in a|each) day\b|"
     r"\b(?:daily|day) (?:max|maximum|limit)\b"),
    ("dosing_other_language",
     r"\b(?:combien|wie ?viele?|quant[oaie]|quantos|quantas)\b[^.?!]{0,60}\b(?:prendre|nehmen|"
     r"prendere|dose|dosis|gramm\w*|grammes?|grammi|mg)\b|\b(?:dosierung|posologie|dosaggio|"
     r"dosagem)\b|\bmy taper\b"),
    ("dosing_es_more",
     r"\b(?:\d+|dos|tres|cuatro|cinco|seis) veces (?:al|por) d[ií]a\b|\bcu[aá]nto (?:le )?(?:bajo|"
     r"reduzco|quito|subo)\b|\b(?:bajo|reduzco|quito) (?:cada|por) semana\b"),
    ("dosing_es",
     r"\bcu[aá]nt[oa]s? " + _AMOUNT + r"|\bcu[aá]nt[oa]s?\b[^.?!]{0,60}\b(?:debo|puedo|tengo que|"
     r"hay que|se (?:debe|puede)|se le da|le doy|le puedo dar|tomo|tomar|uso|usar|doy|dar|debe|"
     r"deber[ií]a|necesita|puede|toma|bajar|reducir|"
     r"necesito|es seguro|es mucho|es demasiado|al d[ií]a|por d[ií]a|para)\b|\bqu[eé] dosis\b|"
     r"\bcu[aá]l es la dosis\b|\b(?:dame|deme|dime|d[ií]game|recomi[eé]ndame|necesito) "
     r"(?:una |la )?dosis\b|\bdosis (?:correcta|segura|inicial|recomendada|m[aá]xima|diaria|"
     r"normal|t[ií]pica)\b|\bdosis\b[^.?!]{0,30}\bpara (?:principiantes|empezar|comenzar|dormir|"
     r"el dolor|la abstinencia)\b|\bcada cu[aá]nt[oa]s?\b|\bcu[aá]ntas veces al d[ií]a\b|"
     r"\b(?:plan|calendario|horario) (?:para|de) (?:dejar|reducir|bajar|desintoxic)|"
     r"\bdame un (?:plan|calendario|horario)\b|\b(?:reduzco|reducir|reduce|bajo|bajar|baja|dejo|"
     r"dejar|quito|quitar)\b[^.?!]{0,40}\bpoco a poco\b|"
     r"\b(?:convertir|equivale|equivalente|reemplazar|sustituir|cambiar)\b[^.?!]{0,40}\b\d+(?:[.,]"
     r"\d+)?\s*" + _AMOUNT + r"|\bes (?:mucho|demasiado|poco|seguro|peligroso)\b[^.?!]{0,20}"
     r"\d+(?:[.,]\d+)?\s*" + _AMOUNT + r"|"
     r"\b\d+(?:[.,]\d+)?\s*" + _AMOUNT + r"\b[^.?!]{0,40}\b(?:es mucho|es demasiado|es seguro|"
     r"es peligroso|est[aá] bien|es poco|alcanza|basta)"),
]

_CRISIS_RE = [(name, re.compile(p)) for name, p in _CRISIS_RULES]
_DOSING_RE = [(name, re.compile(p)) for name, p in _DOSING_RULES]

# Words that place a message inside Clearpath's scope. Without one, a message may be declined
# as out of scope; with one, it always goes on to retrieval (which may still say no_answer).
_SCOPE = re.compile(
    r"opioid|opiate|opio|kratom|mitragyn|7-hydroxy|withdraw|detox|abstinencia|desintox|"
    r"heroin|fentanyl|oxycodone|hydrocodone|morphin|codeine|tramadol|methadone|metadona|"
    r"buprenorphine|buprenorfina|naloxone|naloxona|naltrexone|lofexidine|lucemyra|vivitrol|"
    r"overdos|sobredosis|addict|adicci|adict|pressed pill|pills|pastillas|contingency|"
    r"cold turkey|taper|neonatal|abstinence|clean|using again|used to take|jail|prison|"
    r"incarcerat|oxicodona|hero[ií]na|fentanilo|morfina|"
    r"recovery|recuperaci|relapse|reca[ií]da|sober|sobriety|"
    r"craving|painkiller|pain pill|liver|h[ií]gado|jaundice|ictericia|\balt\b|\bast\b|enzyme|"
    r"bilirubin|hepat|acetaminophen|paracetamol|tylenol|samhsa|988|helpline|treatment|"
    r"tratamiento|rehab|counsel|therapy|terapia|narcotics anonymous|\bna meeting|peer support|"
    r"drug|droga|substance|use disorder|\boud\b|\bmoud\b|\bmat\b|clinic|poison|dependen|"
    r"tolerance|tolerancia|supplement|suplemento|salmonella|fda|dea\b|nida|harm reduction|"
    r"dopesick|dope sick|x[- ]?waiver|dilin|livertox|mitragyna|speciosa|ictericia|sober living|"
    r"nodding (?:off|out)|nod(?:ding)? out|quit(?:ting)?\b|dejarlo|dejar de|\bpill\b|pastilla|"
    r"relaps|reca[ií]|test strips?|tiras reactivas|poco a poco|\bdope\b|kicking|yellow|"
    r"dark (?:urine|pee)|"
    r"(?:pale|light[- ]colou?red|clay[- ]colou?red) (?:stools?|poop)|\bleaf\b|\bleaves\b|"
    r"1-?800|hotline|helpline|\bfrank\b|ambulance|emergency number|\b(?:911|999|000|111|112)\b"
)
# Withdrawal from other substances is outside Clearpath's scope unless opioids or kratom are
# named too.
_OTHER_SUBSTANCE = re.compile(
    r"\b(?:benzos?|benzodiazepines?|alcohol|caffeine|coffee|nicotine|cigarettes?|vap(?:e|ing)|"
    r"ssris?|antidepressants?|xanax|valium|klonopin|ativan|weed|cannabis|marijuana|thc|sugar|"
    r"gaming|porn|social media|adderall|stimulants?|meth(?!adone)\w*|cocaine|effexor|zoloft|"
    r"lexapro|prednisone|hangover|vitamins?|cafe[ií]na|nicotina|tabaco|benzodiacepinas?|"
    r"alcohol|smoking|cigarettes?|weed|marihuana|mota|ambien|zolpidem|fumar|cigarros|fatty liver|"
    r"h[ií]gado graso|hepatitis a|liver cleanse|detox tea|401k|atm|kill (?:a|the) (?:thread|"
    r"process|task)|(?:data|acl|surgery|disk|password|account|knee|injury) recovery|recovery time)"
    r"\b|withdraw(?:al|ing)? (?:cash|money|from (?:my|a|an|the) (?:401k|ira|account|atm))|"
    r"withdraw(?:al)? (?:money|cash|funds|"
    r"from (?:a|my|the) (?:class|course|account|"
    r"bank|college|school|race|contest|program))|(?:bank|atm|cash) withdrawal|withdrawal "
    r"(?:limit|fee|slip)")
_CORE = re.compile(
    r"opioid|opiate|kratom|mitragyn|7-hydroxy|heroin|fentanyl|oxycodone|hydrocodone|morphin|"
    r"codeine|tramadol|methadone|buprenorphine|naloxone|naltrexone|lofexidine|dopesick|"
    r"painkiller|liver|hotline|helpline|\bdrugs?\b")
_PERSONAL = re.compile(
    r"\b(?:can|should|could|is it (?:ok|okay|safe) (?:for me )?to|do i|am i|will i|would i)\b"
    r"[^.?!]{0,30}\b(?:i|me|my)\b|\b(?:i'm on|i am on|i take|i'm taking|i am taking|i use|"
    r"i've been|my (?:meds|medication|medicine|doctor|prescription|pills)|mix(?:ing)? \w+ with)\b|"
    r"\b(?:puedo|debo|estoy tomando|tomo)\b"
)


def rule_hit(rules: list[tuple[str, re.Pattern[str]]], *texts: str) -> str | None:
    for name, pattern in rules:
        for text in texts:
            if pattern.search(text) and not (name in _UNLESS and _UNLESS[name].search(text)):
                return name
    return None


# "How many grams in an ounce?" is arithmetic, not a dose, unless a drug is named.
_UNIT_QUESTION = re.compile(
    r"\b(?:grams?|mg|ml|ounces?|oz|pounds?|cups?|teaspoons?|tablespoons?|miles?|km|kilos?)\b"
    r"(?: are)? in (?:a|an|one|\d+) (?:ounce|oz|pound|lb|kilo|kilogram|cup|teaspoon|tablespoon|"
    r"liter|litre|gram|gallon|quart|pint|mile|km|kilometer)s?\b|"
    r"\bconvert\b[^.?!]{0,30}\b(?:miles?|km|kilometers?|pounds?|kilos?|celsius|fahrenheit|"
    r"inches|feet|cups?|ounces?)\b|\b\d+\s*(?:oz|ounces?|lbs?|pounds?|cups?)\b[^.?!]{0,20}\bin "
    r"(?:grams|kg|kilos|ml)\b|gramos tiene (?:una|un) |\b(?:taza|cucharada|cucharadita|onza|"
    r"libra)s? "
    r"de (?:harina|az[uú]car|arroz|leche|agua|mantequilla)\b")
_DRUG = re.compile(
    r"kratom|mitragyn|7-hydroxy|opioid|opiate|heroin|fentanyl|oxycodone|hydrocodone|morphin|"
    r"codeine|tramadol|methadone|buprenorphine|naloxone|naltrexone|lofexidine|pill|medic|"
    r"drug|dose|tylenol|acetaminophen")


_TAPER_OTHER = re.compile(
    r"\btaper(?:ing|ed)? (?:my |the |a |an |down )?(?:running|mileage|training|runs?|pant|pants|"
    r"legs?|jeans|sleeves?|sides|fade|haircut|hair|candles?|cylinder|shaft|edges?|workouts?|"
    r"hems?|seams?)\b|\btaper (?:candles?|fade|haircut|cut|tantrum)\b|\bprednisone\b|"
    r"\bsolidworks\b|\bknife|\blathe\b|extrusion|fusion 360|degradado|table leg|\bwood|"
    r"\bsteroid (?:pack|taper)\b")
_KITCHEN = re.compile(
    r"\b(?:recipe|cake|bak(?:e|ing)|flour|sugar|butter|oven|shot glass|cocktail|"
    r"(?:hay|tiene) en (?:una|un) (?:cucharada|taza|onza|libra|litro)|in (?:a|an|one) "
    r"(?:shot glass|glass|cup|bottle|can|spoon|tablespoon|teaspoon))\b")
_ABOUT_REFUSING = re.compile(
    r"\bwhy (?:won'?t|don'?t|can'?t|do not|will not) you\b|^\W*qu[eé] significa\b|"
    r"\bwhat does [\w\s-]{1,30} mean\b|\b(?:how|why) (?:do|does|did|is|are) "
    r"(?:doctors?|clinicians?|providers?|prescribers?|pharmacists?|nurses?|they) (?:decide|choose|"
    r"pick|work out|figure out|set|calculate|determine)\b|\bc[oó]mo (?:deciden|eligen|calculan) "
    r"(?:los|las) (?:m[eé]dicos|doctores|doctoras)\b")
_GAME = re.compile(r"\b(?:game|mechanic|minecraft|plague inc|dark souls|cyberpunk|rpg|d&d|dnd|"
                   r"fortnite|skyrim|sims|pokemon|ui|juego|mec[aá]nica|lethal company)\b")


def dosing_hit(*texts: str) -> str | None:
    hit = rule_hit(_DOSING_RE, *texts)
    if hit and any(((_UNIT_QUESTION.search(t) or _KITCHEN.search(t)) and not _DRUG.search(t))
                   or _ABOUT_REFUSING.search(t)
                   or (_TAPER_OTHER.search(t) and not _CORE.search(t)) for t in texts):
        return None
    return hit


def other_withdrawal(text: str) -> bool:
    """Withdrawal from something other than opioids or kratom (alcohol, benzos, caffeine...)."""
    plain = strip_accents(text)
    return bool(_OTHER_SUBSTANCE.search(plain) and not _CORE.search(plain)
                and re.search(r"withdraw|abstinencia|detox|quit|dejar|taper", plain))


def in_scope(text: str) -> bool:
    plain = strip_accents(text)
    if (_OTHER_SUBSTANCE.search(text) or _TAPER_OTHER.search(plain)) and not _CORE.search(plain):
        return False
    return bool(_SCOPE.search(text) or _SCOPE.search(plain))


_BASE64 = re.compile(r"\b[A-Za-z0-9+/]{12,}={0,2}(?=\s|$)")
_GENERAL_Q = re.compile(
    r"^\W*(?:can|could|is it|does|do|why|how (?:does|do|long|come)|what (?:happens|is|are)|"
    r"se puede|es verdad|por qu[eé]|qu[eé] pasa)\b")


def decoded(text: str) -> str:
    """Text hidden in base64 ("decode this and answer it"), so it is read like the rest."""
    found = []
    for token in _BASE64.findall(text):
        try:
            plain = base64.b64decode(token + "=" * (-len(token) % 4), validate=True).decode()
        except (ValueError, UnicodeDecodeError):
            continue
        if plain.isprintable():
            found.append(plain)
    return " ".join(found)


def check(
    text: str, vector: np.ndarray | None = None, model: GuardModel | None = None
) -> Verdict:
    """The guard's outcome for one message. `vector` is its sentence embedding."""
    hidden = decoded(text)
    norm = without_instructions(normalise(f"{text} {hidden}" if hidden else text))
    plain = strip_accents(norm)
    lang = detect_lang(norm)
    probs = model.probabilities(vector, norm) if model is not None and vector is not None else None

    if (hit := rule_hit(_CRISIS_RE, norm, plain)) and not (
            hit in ("lethal_amount", "crisis_es", "overdose_signs", "self_harm")
            and (_GAME.search(plain) or _TECH.search(plain)) and not _CORE.search(plain)):
        return Verdict("crisis", f"rule:{hit}", lang)
    if (probs is not None and model is not None and probs["crisis"] >= model.thresholds["crisis"]
            and probs["crisis"] == max(probs.values())
            and not (_GENERAL_Q.search(plain) or _PAST.search(plain))):
        return Verdict("crisis", "model:crisis", lang)

    if hit := dosing_hit(norm, plain):
        return Verdict("dosing_refusal", f"rule:{hit}", lang)
    if (probs is not None and model is not None
            and probs["dosing_refusal"] >= model.thresholds["dosing_refusal"]
            and probs["dosing_refusal"] == max(probs.values())):
        return Verdict("dosing_refusal", "model:dosing_refusal", lang)

    if other_withdrawal(norm):
        return Verdict("out_of_scope", "rule:other_substance", lang)
    scoped = in_scope(norm)
    if not scoped and (probs is None or model is None or (
            probs["out_of_scope"] >= model.thresholds["out_of_scope"]
            and probs["out_of_scope"] == max(probs.values()))):
        return Verdict("out_of_scope", "model:out_of_scope" if probs else "rule:no_scope_word",
                       lang)
    personal = bool(_PERSONAL.search(norm))
    return Verdict("pass", "in_scope" if scoped else "model:pass", lang, personal)
